"""A real browser through the whole shop: register, sell with and without a cover,
buy, pay, choose delivery (BOOKSTORE.md §2). Skipped when Chromium is not installed."""
import os
import re
import struct
import tempfile
import zlib

import pytest


from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def png_file():
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes((200, 40, 40)) * 20 for _ in range(30))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20, 30, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    handle, path = tempfile.mkstemp(suffix=".png", prefix="portada ")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    return path


def wait_path(driver, path, timeout=15):
    WebDriverWait(driver, timeout).until(lambda d: d.current_url.split("?")[0].endswith(path))


def fill(driver, fields):
    for name, value in fields.items():
        element = driver.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)


def submit(driver, form_css="main form"):
    driver.find_element(By.CSS_SELECTOR, form_css + " [type=submit]").click()


def register_and_login(driver, base, name, email, password="contraseña segura"):
    driver.get(base + "/register")
    fill(driver, {"name": name, "email": email, "password": password})
    submit(driver)
    wait_path(driver, "/login")
    assert "Registro exitoso" in driver.page_source
    fill(driver, {"email": email, "password": password})
    submit(driver)
    wait_path(driver, "/book/catalog")
    assert driver.find_element(By.ID, "current-user").text == name


def logout(driver):
    driver.find_element(By.CSS_SELECTOR, "nav form[action='/logout'] button").click()
    wait_path(driver, "/login")


def test_sell_buy_pay_and_ship_in_a_browser(server, browser):
    base = server.url
    cover = png_file()
    try:
        # The layout's Bootstrap is served locally and applied.
        browser.get(base + "/")
        navbar = browser.find_element(By.CSS_SELECTOR, "nav.navbar")
        assert navbar.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")

        register_and_login(browser, base, "Sofía <Vendedora>", "sofia@example.com")
        browser.get(base + "/book/add_book")
        fill(browser, {"title": "Rayuela", "author": "Julio Cortázar",
                       "description": "Novela\ncon saltos", "price": "15,90", "stock": "4"})
        browser.find_element(By.NAME, "cover").send_keys(cover)
        submit(browser)
        wait_path(browser, "/book/catalog")
        assert "Libro publicado" in browser.page_source
        # No file chosen: the browser still sends an empty file part.
        browser.get(base + "/book/add_book")
        fill(browser, {"title": "Sin portada", "author": "Anónima", "price": "3", "stock": "1"})
        submit(browser)
        wait_path(browser, "/book/catalog")
        image = browser.find_element(By.CSS_SELECTOR, "img.book-cover")
        WebDriverWait(browser, 10).until(
            lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
        assert browser.execute_script("return arguments[0].naturalWidth", image) == 20
        assert "Sin portada" in browser.page_source
        logout(browser)

        register_and_login(browser, base, "Bruno", "bruno@example.com")
        browser.get(base + "/book/catalog?q=rayu")
        card = browser.find_element(By.CSS_SELECTOR, ".book-card")
        quantity = card.find_element(By.NAME, "quantity")
        quantity.clear()
        quantity.send_keys("2")
        card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 15).until(EC.url_matches(r"/payment/\d+$"))
        purchase = re.search(r"/payment/(\d+)$", browser.current_url).group(1)
        assert browser.find_element(By.CSS_SELECTOR, ".purchase-total").text == "$31.80"
        browser.find_element(By.CSS_SELECTOR, "input[name=method][value=Paypal]").click()
        submit(browser)
        wait_path(browser, f"/delivery/{purchase}")
        assert "Pago registrado" in browser.page_source
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.provider-option")
        assert [r.find_element(By.TAG_NAME, "label").text for r in rows] == [
            "DHL", "FedEx", "Envia", "Servientrega"]
        rows[3].find_element(By.CSS_SELECTOR, "input[name=provider]").click()
        submit(browser)
        wait_path(browser, "/purchases")
        row = browser.find_element(By.CSS_SELECTOR, f"tr[data-purchase-id='{purchase}']")
        assert row.find_element(By.CSS_SELECTOR, ".purchase-status").text == "Enviado"
        assert row.find_element(By.CSS_SELECTOR, ".purchase-method").text == "PayPal"
        assert row.find_element(By.CSS_SELECTOR, ".purchase-provider").text == "Servientrega"

        # The seller's name is shown as text, never as markup, and the stock went down.
        browser.get(base + "/book/catalog?q=rayu")
        assert browser.find_element(By.CSS_SELECTOR, ".book-stock").text == "2"
        browser.find_element(By.CSS_SELECTOR, ".book-card a.book-title").click()
        assert browser.find_element(By.CSS_SELECTOR, ".book-seller").text == "Sofía <Vendedora>"
        # Under the Content-Security-Policy (no inline style) the served
        # stylesheet still keeps the description's line break.
        description = browser.find_element(By.CSS_SELECTOR, ".book-description")
        assert description.value_of_css_property("white-space") == "pre-line"
        assert description.text == "Novela\ncon saltos"
        browser.get(base + "/book/catalog?q=rayu")
        quantity = browser.find_element(By.CSS_SELECTOR, ".book-card input[name=quantity]")
        assert quantity.value_of_css_property("max-width") == "96px"
    finally:
        os.remove(cover)
