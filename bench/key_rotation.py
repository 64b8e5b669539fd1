"""Identity-key rotation over 100,000 stored identity numbers while new persons keep being
filed (`vigil keys rotate`, `vigil.flows.rekey`).

    python bench/key_rotation.py [--count 100000] [--postgres]

The numbers are stored under the old keys first (bulk insert, not timed). Then, with the
servers' new keys and the old ones as previous, the rotation runs in batches of 2,000 while a
second thread files new persons one transaction at a time. The baseline, measured in the
same run, is the pure cryptography of the rotation: opening, re-hashing and re-encrypting the
same tokens in memory, with no database. Afterwards the old keys alone open no stored value,
every value opens with the new keys, and a sample of numbers finds its same person."""

from __future__ import annotations

import argparse
import base64
import random
import secrets
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from datetime import date, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import _sqlalchemy_url, fresh_database, make_settings, postgres_admin_url

from vigil.core.clock import utcnow
from vigil.core.db import insert_rows
from vigil.core.ids import cn_id_check_char
from vigil.core.migrate import upgrade
from vigil.core.protect import IdentifierVault
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys, secret
from vigil.flows import rekey
from vigil.governance.access import system_context
from vigil.registry import service as registry
from vigil.registry.models import Person, PersonDocument
from vigil.registry.schemas import DocumentIn, PersonIn


def _number(i: int) -> str:
    born = date(1950, 1, 1) + timedelta(days=i % 20000)
    body = f"110105{born:%Y%m%d}{i // 20000:03d}"
    return body + cn_id_check_char(body)


def _store(runtime: Runtime, count: int) -> None:
    vault = runtime.vault
    now = utcnow()
    with runtime.unit_of_work() as session:
        insert_rows(
            session,
            Person,
            [
                {
                    "id": i + 1,
                    "name": f"P{i}",
                    "name_key": f"p{i}",
                    "pseudonymised": False,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for i in range(count)
            ],
        )
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text("SELECT setval(pg_get_serial_sequence('person', 'id'), :n)"), {"n": count}
            )
        rows = []
        for i in range(count):
            protected = vault.protect(_number(i))
            rows.append(
                {
                    "person_id": i + 1,
                    "doc_type": "cn_resident_id",
                    "id_hash": protected.hash,
                    "id_ciphertext": protected.ciphertext,
                }
            )
        insert_rows(session, PersonDocument, rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    keys = generate_keys()
    with tempfile.TemporaryDirectory() as tmp:
        database = (
            fresh_database(postgres_admin_url(), "vigil_bench_rekey")
            if args.postgres
            else nullcontext(f"sqlite:///{tmp}/rekey.db")
        )
        with database as raw_url:
            url = _sqlalchemy_url(raw_url)
            upgrade(url)
            settings = make_settings(url, keys, Path(tmp)).model_copy(
                update={"log_level": "WARNING"}
            )
            old = Runtime.create(settings)
            _store(old, args.count)
            old_vault = old.vault
            new = Runtime.create(
                settings.model_copy(
                    update={
                        "id_encryption_key": SecretStr(
                            base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
                        ),
                        "id_hash_key": SecretStr(secrets.token_urlsafe(48)),
                        "id_encryption_key_previous": settings.id_encryption_key,
                        "id_hash_key_previous": settings.id_hash_key,
                    }
                )
            )
            with new.unit_of_work() as session:
                tokens = list(session.scalars(select(PersonDocument.id_ciphertext)))
            started = time.perf_counter()
            for token in tokens:
                value = new.vault.reveal(token)
                new.vault.hash(value)
                new.vault.encrypt(value)
            baseline = time.perf_counter() - started

            stop = threading.Event()
            filed = [0]

            def intake() -> None:
                i = args.count
                while not stop.is_set():
                    number = _number(i)
                    with new.unit_of_work() as session:
                        registry.create_person(
                            session,
                            system_context(),
                            new.vault,
                            PersonIn(
                                name=f"N{i}",
                                documents=[DocumentIn(doc_type="cn_resident_id", number=number)],
                            ),
                        )
                    filed[0] += 1
                    i += 1

            writer = threading.Thread(target=intake)
            writer.start()
            started = time.perf_counter()
            report = rekey.rotate(new, batch=2000)
            rotation = time.perf_counter() - started
            stop.set()
            writer.join()
            rekey.rotate(new, batch=2000)  # the last pass of `vigil keys finish`

            only_new = IdentifierVault(
                secret(new.settings.id_hash_key), secret(new.settings.id_encryption_key)
            )
            with new.unit_of_work() as session:
                stored = session.execute(
                    select(PersonDocument.id_hash, PersonDocument.id_ciphertext)
                ).all()
                total = session.scalar(select(func.count()).select_from(PersonDocument))
            readable_old = 0
            for _, token in stored:
                only_new.reveal(token)
                try:
                    old_vault.reveal(token)
                    readable_old += 1
                except Exception:
                    pass
            sample = random.Random(7).sample(range(args.count), 200)
            with new.unit_of_work() as session:
                same = sum(
                    1
                    for i in sample
                    if session.scalar(
                        select(PersonDocument.person_id).where(
                            PersonDocument.id_hash == only_new.hash(_number(i))
                        )
                    )
                    == i + 1
                )
            backend = "PostgreSQL" if args.postgres else "SQLite"
            changed = report.changed["identity documents"]
            print(f"back-end: {backend}; stored identity numbers: {args.count:,}")
            print(f"re-keyed during the rotation: {changed:,} in {rotation:.1f} s")
            print(f"  {changed / rotation:,.0f} values/s; filed meanwhile: {filed[0]} persons")
            print(f"baseline, the same cryptography in memory: {baseline:.1f} s")
            print(f"ratio rotation / baseline: {rotation / baseline:.2f}")
            print(f"stored after: {total:,}; readable with the old keys alone: {readable_old}")
            print(f"sample of 200 numbers finding their same person by the new key: {same}")
            for rt in (old, new):
                rt.engine.dispose()


if __name__ == "__main__":
    main()
