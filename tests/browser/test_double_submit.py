"""A citizen double-clicks "Publish" on the idea form and on the comment form, with and without JavaScript: one
idea, one comment (ADR 0045). The browser really sends the form twice; the server sees the same key twice."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_double_click_publishes_once(site, browser, javascript):
    from kompass.accounts.models import User
    from kompass.participation.models import Comment, Idea, IdempotencyKey

    User.objects.create_user(email="doppel@example.org", password="S3cure-pass-word", display_name="Doppel")
    context = browser.new_context(locale="de-DE", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.fill("input[name=username]", "doppel@example.org")
    page.fill("input[name=password]", "S3cure-pass-word")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()

    page.goto(site + "/ideas/new/")
    page.fill("#id_title", "Doppelt geklickt")
    page.fill("#id_text", "Zweimal auf Veröffentlichen.")
    page.locator("main form button[type=submit]").dblclick()
    expect(page.locator("h1")).to_have_text("Doppelt geklickt")
    assert Idea.objects.filter(title="Doppelt geklickt").count() == 1

    page.fill("#comment-text", "Ein Kommentar, zweimal gesendet")
    page.locator("#comment-text").locator("xpath=ancestor::form").locator("button[type=submit]").dblclick()
    expect(page.locator("main")).to_contain_text("Ein Kommentar, zweimal gesendet")
    assert Comment.objects.filter(text="Ein Kommentar, zweimal gesendet").count() == 1
    assert IdempotencyKey.objects.filter(user__email="doppel@example.org").count() == 2
    context.close()
