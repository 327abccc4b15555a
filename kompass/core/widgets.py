from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    The catalogue's organisation filter has hundreds of options; Django's template-based option rendering
    costs about 0.1 ms per option, which dominated the page's time. Output matches forms.Select's markup."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = "" if value is None else str(value)

        def options(choices):
            return format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((v, mark_safe(" selected") if str(v) == selected else "", label) for v, label in choices),
            )

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_value, options(group_label)))
            else:
                parts.append(options([(group_value, group_label)]))
        attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in final.items() if v not in (None, False)))
        return format_html("<select{}>{}</select>", attributes, mark_safe("".join(conditional_escape(p)
                                                                                      for p in parts)))
