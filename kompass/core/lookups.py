"""`__in` on integer columns drops values outside the column's range (they can match no row).

Django already does this for `exact`, `gt`, `lt` … (IntegerFieldOverflow) but not for `in`; on SQLite an id
beyond 64 bits in a multiple-choice form field (`pk__in=[9223372036854775808]`) raised OverflowError — a 500 for a
hostile form post. Registered on IntegerField (and so on AutoField, BigIntegerField, …) in CoreConfig.ready()."""

from django.db import models
from django.db.models.lookups import In


class RangeCheckedIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not isinstance(self.rhs, str | bytes):
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [v for v in self.rhs
                        if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))]
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(RangeCheckedIn)
