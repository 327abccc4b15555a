import re
import pytest
from tests.browser.pages import ROLES, build_world
from tests.portal.test_german_pages import page_text
pytestmark = pytest.mark.django_db
WANT = {"data": ["no", "BY"], "monitoring-indicator": ["target", "with_target"], "monitoring-report": ["are", "at"],
        "spreadsheet": ["title", "external_id"], "monitoring-upload": ["source_note", "indicator"], "lottery-manage": ["name"], "job": ["succeeded"], "privacy": ["Name"]}
def test_ctx(client):
    from kompass.accounts.models import User
    out = []
    for page in build_world():
        if page.name not in WANT: continue
        client.logout()
        if ROLES[page.role]:
            client.force_login(User.objects.get(email=ROLES[page.role]))
        html = client.get(page.path, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        text = page_text(html)
        for w in WANT[page.name]:
            for m in list(re.finditer(r"(?<![\w-])" + w + r"(?![\w-])", text))[:2]:
                out.append(f"{page.name} TEXT: ...{text[max(0,m.start()-100):m.end()+60]}...")
            for m in list(re.finditer(r"(?<![\w-])" + w + r"(?![\w-])", html))[:1]:
                out.append(f"{page.name} HTML: ...{html[max(0,m.start()-200):m.end()+60]}...")
    open("/tmp/german-ctx.txt", "w").write("\n".join(out))
