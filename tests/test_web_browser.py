"""The workspace as an officer uses it, in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium) against `rfl serve`'s app run by uvicorn on 127.0.0.1.

Skipped, with the reason, only when Chromium or its driver is not installed (.ci/run installs
both). With RFL_SCREENSHOTS=DIR set, each page is also saved as a PNG in English and Arabic
(docs/screenshots/ is made that way).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest

from rfl_api_harness import audit_rows, enquiry, found, make_world, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
                                       "chromium-driver; .ci/run installs them)")
AXE = Path(__file__).parent / "fixtures" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("RFL_SCREENSHOTS")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def server(module_database):
    """`rfl serve`'s app on a fresh store, in uvicorn on a free local port, in a thread."""
    db, keys = make_world(module_database)
    with serving(db) as (host, port):
        yield {"url": f"http://{host}:{port}", "db": db, "keys": keys}


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="rfl-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# ---- what a person does ---------------------------------------------------------------

def by(css):
    from selenium.webdriver.common.by import By
    return By.CSS_SELECTOR, css


def wait_for(driver, predicate, timeout=30):
    """Until `predicate` holds; an element that vanished as the next page loaded is just not yet
    (Chromium sometimes says so as an inspector error: the node 'does not belong to the
    document' it was found in, once a form's answer replaces that document)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def holds(d):
        try:
            return predicate(d)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise

    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                         ).until(holds)


def sign_in(driver, server, who, purpose="tracing"):
    driver.delete_all_cookies()
    driver.get(server["url"] + "/web/sign-in")
    driver.find_element(*by("#key")).send_keys(server["keys"][who])
    driver.find_element(*by(f"#purpose-{purpose}")).click()
    driver.find_element(*by("form button[type=submit]")).click()
    wait_for(driver, lambda d: "/web/sign-in" not in d.current_url)


def set_language(driver, server, code):
    driver.get(f"{server['url']}/web/lang/{code}?next=/web/")


def axe_problems(driver) -> list[str]:
    """Serious or critical WCAG 2.2 AA violations axe-core finds on the current page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(done, e => done({error: String(e)}));"
        % json.dumps(WCAG))
    assert "error" not in results, results
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def shoot(driver, name):
    """Save the whole page when RFL_SCREENSHOTS names a folder."""
    if not SHOTS:
        return
    lang = driver.execute_script("return document.documentElement.lang")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 700), 2400))
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(Path(SHOTS) / f"{name}-{lang}.png"))
    driver.set_window_size(1280, 900)


def check_page(driver, name):
    """Every page: no serious accessibility violation, and a screenshot when asked for."""
    problems = axe_problems(driver)
    assert not problems, f"{name}: {problems}"
    shoot(driver, name)


def found_record(server, record_id, **extra):
    """A found record registered by the Lebanese Red Cross through the API."""
    body = {"record_id": record_id, "given_names": "Mohammed", "family_name": "Al-Husseini", "father_name": "Ali",
            "sex": "M", "birth_date": "1990-05-01", "nationality": "SYR", "status": "alive",
            "location": "Shelter 4, Tripoli", "contact": "+961 70 000 111", "consent_to_share": "yes",
            "tracing_consent": "yes", "legal_basis": "consent", "consent_purposes": ["tracing"]}
    body.update(extra)
    answer = httpx.post(server["url"] + "/found", json=body,
                        headers={"X-RFL-Key": server["keys"]["lbn"], "X-RFL-Purpose": "tracing"})
    assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
def people(server):
    """An LBN officer's key, and two found records of one man (one contradicting on sex)."""
    from api.keys import create_key
    from rfl.store import cipher_for, open_store

    store = open_store(server["db"], cipher_for(server["db"]))
    try:
        server["keys"]["lbn"] = create_key(store, "LBN", "officer")
    finally:
        store.close()
    found_record(server, "F1")
    # a Ukrainian man sought by DEU, registered by LBN as a woman: listed, and says why
    headers = {"X-RFL-Key": server["keys"]["deu"], "X-RFL-Purpose": "tracing"}
    assert httpx.post(server["url"] + "/enquiries", json=enquiry("E-UA-7"), headers=headers).status_code == 201
    headers["X-RFL-Key"] = server["keys"]["lbn"]
    assert httpx.post(server["url"] + "/found", json=found("F-UA-3", sex="F"), headers=headers).status_code == 201
    return server


# ---- the tests --------------------------------------------------------------------------

def test_officer_submits_in_arabic_reviews_confirms_and_discloses(browser, people):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    server, driver = people, browser
    set_language(driver, server, "en")
    sign_in(driver, server, "deu")
    assert "Tracing" in driver.find_element(*by("#purpose-now option[selected]")).text  # the purpose, in the header
    check_page(driver, "queue")

    driver.find_element(*by(".main-nav a[href='/web/enquiries/new']")).click()
    check_page(driver, "enquiry-form")
    typed = {"record_id": "E-AR-1", "given_names": "محمد", "family_name": "الحسيني", "father_name": "علي",
             "birth_date": "1990-05-01", "nationality": "SYR"}
    for name, value in typed.items():
        driver.find_element(*by(f"#f-{name}")).send_keys(value)
    Select(driver.find_element(*by("#f-sex"))).select_by_value("M")
    Select(driver.find_element(*by("#f-legal_basis"))).select_by_value("vital_interest")
    # htmx shows the romanised form the matcher will compare, as the officer types
    wait_for(driver, lambda d: "mohamed" in d.find_element(*by("#given_names-roman")).text)
    driver.find_element(*by("form button.primary")).click()

    wait_for(driver, lambda d: d.current_url.endswith("/web/enquiries/E-AR-1"))
    page = driver.find_element(*by("main")).text
    assert "E-AR-1 saved" in page and "محمد" in page and "mohamed" in page
    assert driver.find_element(*by(".facts span[dir=auto]")).get_attribute("dir") == "auto"
    check_page(driver, "record")

    driver.find_element(*by("a[href$='/review']")).click()
    wait_for(driver, lambda d: d.find_elements(*by("table.evidence")))
    page = driver.find_element(*by("main")).text
    assert "LBN:F1" in page and "strong — verify first" in page and "Al-Husseini" not in page  # R6
    assert driver.find_elements(*by("table.evidence .bar .fill"))  # evidence drawn as bars
    check_page(driver, "review")

    # the keyboard alone: c moves to the confirmation's reason, Enter sends it
    driver.find_element(*by("body")).send_keys("c")
    reason = driver.switch_to.active_element
    assert reason.get_attribute("id") == "reason-confirm"
    Select(reason).select_by_value("identity_verified")
    reason.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: "Nobody has been notified" in d.find_element(*by("main")).text)

    driver.find_element(*by(".disclose button")).click()
    wait_for(driver, lambda d: "What you may tell the family" in d.find_element(*by("main")).text)
    page = driver.find_element(*by("main")).text
    assert "Location and contact are shared" in page and "Shelter 4, Tripoli" in page and "Al-Husseini" in page
    check_page(driver, "disclosure")

    trail = [(r["action"], r["outcome"], r["reason"]) for r in audit_rows(server["db"]) if r["society"] == "DEU"]
    served = [t for t in trail if t[1] == "ok"]
    assert ("web.sign_in", "ok", None) in served
    assert ("record.submit", "ok", None) in served
    assert ("match.decide", "ok", "confirmed:LBN:F1;why:identity_verified") in served
    assert served[-2] == ("match.disclose", "ok", "LBN:F1:disclosed")
    assert any(a == "match.search" and r.startswith("model:") for a, _, r in served)
    assert "محمد" not in str(audit_rows(server["db"]))


def test_a_contradicting_candidate_says_why_it_is_listed(browser, people):
    driver = browser
    sign_in(driver, people, "deu")
    driver.get(people["url"] + "/web/enquiries/E-UA-7/review")
    wait_for(driver, lambda d: d.find_elements(*by("table.evidence")))
    assert "contradicts your enquiry on Sex" in driver.find_element(*by(".candidate")).text


def test_another_society_cannot_open_the_enquiry_by_url(browser, people):
    driver = browser
    sign_in(driver, people, "lbn")
    driver.get(people["url"] + "/web/enquiries/E-AR-1")
    assert "There is no such record in your society." in driver.find_element(*by("main")).text
    assert "محمد" not in driver.page_source
    driver.get(people["url"] + "/web/enquiries/E-AR-1/review")
    assert "There is no such record in your society." in driver.find_element(*by("main")).text


def test_a_form_posted_without_its_csrf_token_is_refused(browser, people):
    driver = browser
    sign_in(driver, people, "deu")
    driver.get(people["url"] + "/web/enquiries/new")
    driver.execute_script("document.querySelector('main form input[name=csrf]').remove()")
    driver.find_element(*by("#f-record_id")).send_keys("E-CSRF")
    driver.find_element(*by("main form button.primary")).click()
    wait_for(driver, lambda d: "Not allowed" in d.find_element(*by("h1")).text)
    assert "did not come from this workspace" in driver.find_element(*by("main")).text
    assert not [r for r in audit_rows(people["db"]) if r["target"] == "DEU:E-CSRF"]
    refused = [r for r in audit_rows(people["db"]) if r["reason"] == "csrf_token_invalid"]
    assert refused and refused[-1]["action"] == "record.submit"


def test_arabic_is_laid_out_right_to_left(browser, people):
    driver = browser
    sign_in(driver, people, "deu")
    set_language(driver, people, "ar")
    driver.get(people["url"] + "/web/enquiries/E-AR-1/review?c=LBN:F1")
    wait_for(driver, lambda d: d.find_elements(*by("table.evidence")))
    root = driver.execute_script("return [document.documentElement.lang, document.documentElement.dir]")
    assert root == ["ar", "rtl"]
    assert driver.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    # mirrored: the brand sits at the right edge, the first nav link right of the second
    brand = driver.find_element(*by(".brand")).rect
    assert brand["x"] + brand["width"] > 1280 * 0.6
    links = driver.find_elements(*by(".main-nav a"))
    assert links[0].rect["x"] > links[1].rect["x"]
    # evidence for grows to the left in Arabic: the "for" half lies left of the "against" half
    halves = driver.find_elements(*by("table.evidence tr:first-child .bar .half"))
    assert halves[1].rect["x"] < halves[0].rect["x"]
    assert "المرشحون للطلب" in driver.find_element(*by("h1")).text


def test_every_page_in_arabic_passes_axe(browser, people):
    driver = browser
    sign_in(driver, people, "deu")
    set_language(driver, people, "ar")
    for name, path in (("queue", "/web/"), ("enquiry-form", "/web/enquiries/new"), ("import", "/web/enquiries/import"),
                       ("record", "/web/enquiries/E-AR-1"),
                       ("review", "/web/enquiries/E-AR-1/review?c=LBN:F1")):
        driver.get(people["url"] + path)
        check_page(driver, name)
    driver.find_element(*by(".disclose button")).click()
    wait_for(driver, lambda d: d.find_elements(*by("table.side-by-side")))
    check_page(driver, "disclosure")
    driver.get(people["url"] + "/web/enquiries/new")
    driver.find_element(*by("main form button.primary")).click()  # empty: errors named per field
    wait_for(driver, lambda d: d.find_elements(*by(".error-summary")))
    check_page(driver, "enquiry-errors")
    driver.get(people["url"] + "/web/enquiries/E-AR-1/access")  # refused for tracing: says why
    check_page(driver, "refused")
    driver.find_element(*by("#purpose-now option[value=access_request]")).click()
    driver.find_element(*by("form.purpose button")).click()  # back to the same page, now allowed
    wait_for(driver, lambda d: "محمد" in d.find_element(*by("main")).text)
    check_page(driver, "access-export")
    set_language(driver, people, "en")
    driver.get(people["url"] + "/web/enquiries/E-AR-1/access")
    check_page(driver, "access-export")
    upload = Path(tempfile.mkdtemp()) / "enquiries.csv"
    upload.write_text("record_id,family_name,birth_date,legal_basis\nE-F1,Haddad,02/04/1990,vital_interest\n"
                      "E-F2,Nasser,1985,\n", encoding="utf-8")
    driver.get(people["url"] + "/web/enquiries/import")
    driver.find_element(*by("#file")).send_keys(str(upload))
    driver.find_element(*by("main form button.primary")).click()
    wait_for(driver, lambda d: d.find_elements(*by(".error-summary table")))
    assert "Nothing was stored" in driver.find_element(*by("main")).text
    check_page(driver, "import-errors")
    driver.get(people["url"] + "/web/enquiries/new")
    driver.find_element(*by("main form button.primary")).click()
    wait_for(driver, lambda d: d.find_elements(*by(".error-summary")))
    check_page(driver, "enquiry-errors")
    driver.find_element(*by("form.sign-out button")).click()  # sign out: back to the sign-in page
    wait_for(driver, lambda d: d.find_elements(*by("#key")))
    check_page(driver, "sign-in")
    set_language(driver, people, "ar")
    driver.get(people["url"] + "/web/sign-in")
    check_page(driver, "sign-in")
