"""b. A cover uploaded through replica A is downloaded through replica B (and
through the balancer from every replica), byte for byte: the shared folder."""
import os
import random
import struct
import time
import zlib

from fleetlib import Client, Rec, new_book, register, say, session, summarize


def png(width, height, seed):
    """A valid PNG with random pixels (so every upload has different bytes)."""
    rnd = random.Random(seed)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rnd.randrange(256) for _ in range(width * 3)) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_b_cover_uploaded_through_one_replica_is_served_by_another(make_fleet):
    fleet = make_fleet(2)
    a, b = (rep["url"] for rep in fleet.replicas().values())
    records = []

    def timed(kind, fn, expect):
        t0 = time.monotonic()
        r = fn()
        ok = r.status_code == expect
        records.append(Rec(kind, t0, time.monotonic(), r.status_code, None,
                           r.headers.get("X-Served-By"), ok))
        assert ok, (kind, r.status_code, r.text[:300])
        return r

    seller, _, _ = register(a, "Editorial")
    book = new_book(seller, stock=3)
    on_b = Client(b, seller.token)
    web = session()
    for round_, (up_name, up, down_name, down) in enumerate([("A", seller, "B", b), ("B", on_b, "A", a)]):
        image = png(64, 48, seed=round_)
        r = timed(f"PUT cover on {up_name}", lambda: up.put(
            f"/api/v1/books/{book['id']}/cover", data=image, headers={"Content-Type": "image/png"}), 200)
        cover_url = r.json()["cover_url"]
        assert cover_url.startswith("/uploads/covers/"), cover_url
        got = timed(f"GET cover on {down_name}", lambda: web.get(down + cover_url, timeout=15), 200)
        assert got.content == image, f"round {round_}: {len(got.content)} bytes instead of {len(image)}"
        assert got.headers["Content-Type"].startswith("image/png")
        # Through the balancer: every replica serves the same bytes.
        for _ in range(6):
            via = timed("GET cover via balancer", lambda: web.get(fleet.url + cover_url, timeout=15), 200)
            assert via.content == image
        # The file is in the one shared folder, complete.
        path = os.path.join(fleet.info["upload_dir"], "covers", os.path.basename(cover_url))
        with open(path, "rb") as f:
            assert f.read() == image
        say(f"cover of {len(image)} bytes uploaded on {up_name}, identical on {down_name} and via the balancer")
    served = {r.server for r in records if r.kind == "GET cover via balancer"}
    assert len(served) == 2, served
    numbers = summarize(records, "b. covers across replicas")
    assert numbers["failed"] == 0
