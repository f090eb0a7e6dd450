"""What the browser journeys share."""

from tests.factories import PASSWORD


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form as a person would, starting from a fresh session."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
