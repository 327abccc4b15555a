from ninja import Schema


class ErrorDetail(Schema):
    param: str = ""
    loc: list[str] = []
    msg: str


class ErrorResponse(Schema):
    detail: list[ErrorDetail]


class Ref(Schema):
    """A reference to another record by slug, with its German and English name."""

    slug: str
    name: str
    name_en: str = ""
