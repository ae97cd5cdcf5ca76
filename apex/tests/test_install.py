"""Installing Apex on a phone: the web app manifest, its icons and the service worker."""

import struct
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_manifest_names_the_app_and_its_icons(client, db):
    response = client.get(reverse("web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["display"], manifest["scope"]) == ("Apex", "standalone", "/")
    assert manifest["start_url"] == reverse("raceday_list")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/img/")
        # Each icon is a real PNG of the size the manifest says.
        path = finders.find(icon["src"].removeprefix("/static/"))
        header = Path(str(path)).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", header[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_our_static_file_served_at_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response.content == Path(str(finders.find("js/sw.js"))).read_bytes()
    # The strict policy is on the worker too: no inline or eval sources anywhere.
    assert "unsafe" not in response["Content-Security-Policy"]
    assert client.post("/sw.js").status_code == 405


def test_every_page_links_the_manifest_and_registers_the_worker_from_static(client, user):
    for page in (client.get("/"), client.get(reverse("account_login"))):
        html = page.content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert '<script src="/static/js/pwa.js" defer></script>' in html
        assert "<script>" not in html
