"""Sign out everywhere, in Chromium: a technician is signed in on a phone and on a desk computer; on the phone
they open 登录设备 from the menu and sign out everywhere — the phone is at the login page, and the desk computer's
next page is the login page too. Then a manager signs a technician's lost phone out from the desk."""
from servicedesk.choices import Role

from .builders import person
from .helpers import login, screen, submit, text, visit


def test_sign_out_everywhere_signs_the_other_device_out(pages, journey_now):
    tech = person("tech", "王技术", Role.TECHNICIAN, now=journey_now, area="福田区")
    phone, desk = pages.phone("technician phone"), pages.desk("technician desk")
    login(phone, "tech")
    login(desk, "tech")
    visit(desk, "/dispatch/my/")
    assert "/accounts/login/" not in desk.url

    # on the phone: the menu → 登录设备 → 在所有设备上退出
    phone.locator("details.phone-menu summary").click()
    phone.locator("details.phone-menu a", has_text="登录设备").click()
    phone.wait_for_url("**/core/sessions/")
    assert "7 天内无需重新登录" in text(phone)
    screen(phone, "technician-sessions-375")
    submit(phone, "form button[type=submit]:text-is('在所有设备上退出')")
    assert "/accounts/login/" in phone.url

    # the desk computer, untouched meanwhile, is signed out on its next page
    desk.reload()
    assert "/accounts/login/" in desk.url and desk.locator("#id_username").count() == 1
    tech.refresh_from_db()
    assert tech.sessions_revoked_at is not None

    # logging in again works on the phone
    login(phone, "tech")
    visit(phone, "/dispatch/my/")
    assert "/accounts/login/" not in phone.url


def test_a_manager_signs_a_technicians_lost_phone_out(pages, journey_now):
    person("tech", "王技术", Role.TECHNICIAN, now=journey_now, area="福田区")
    person("boss", "李经理", Role.MANAGER, now=journey_now)
    phone, desk = pages.phone("lost phone"), pages.desk("manager")
    login(phone, "tech")
    login(desk, "boss")
    desk.locator("details.user summary").click()
    desk.locator("details.user a", has_text="登录设备").click()
    desk.wait_for_url("**/core/sessions/")
    desk.select_option("#s-staff", label="王技术")
    submit(desk, "form button[type=submit]:text-is('让其在所有设备上退出')")
    assert "王技术 已在所有设备上退出。" in text(desk)
    phone.reload()
    assert "/accounts/login/" in phone.url
