"""A consultation draft written as plain text, split into chapters and paragraphs (pure, no database)."""

from __future__ import annotations


def parse_draft(body: str) -> list[dict]:
    """A draft as text: lines starting with '# ' begin a chapter; blank lines separate paragraphs."""
    chapters: list[dict] = []
    current: list[str] = []

    def flush():
        if current and chapters:
            chapters[-1]["paragraphs"].append("\n".join(current).strip())
        current.clear()

    for line in (body or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("# "):
            flush()
            chapters.append({"title": line[2:].strip(), "paragraphs": []})
        elif not line.strip():
            flush()
        else:
            if not chapters:
                chapters.append({"title": "", "paragraphs": []})
            current.append(line)
    flush()
    return chapters
