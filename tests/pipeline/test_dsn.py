import json

import pytest

from voc.warehouse.dsn import Dsn, DsnError, redact_url


def test_socket_url_round_trips():
    dsn = Dsn.from_url("postgresql://postgres:@/voc?host=/srv/voc/pgdata")
    assert dsn.host == "/srv/voc/pgdata" and dsn.dbname == "voc" and dsn.port == 5432
    assert Dsn.from_url(dsn.sqlalchemy_url()) == dsn
    assert dsn.sqlalchemy_url().startswith("postgresql+psycopg://postgres@/voc?host=")


def test_tcp_url_with_password():
    dsn = Dsn.from_url("postgresql+psycopg://etl:s%40cret@db.internal:6432/warehouse")
    assert (dsn.host, dsn.port, dsn.user, dsn.password, dsn.dbname) == ("db.internal", 6432, "etl", "s@cret", "warehouse")
    assert Dsn.from_url(dsn.url()) == dsn
    assert "password=s@cret" in dsn.conninfo()


def test_airflow_connection_json_keeps_socket_path():
    dsn = Dsn.from_url("postgresql://postgres@/voc?host=/a%20b/pgdata")
    conn = json.loads(dsn.airflow_conn_json())
    assert conn["host"] == "/a b/pgdata" and conn["schema"] == "voc" and conn["conn_type"] == "postgres"


@pytest.mark.parametrize(
    "url,message",
    [
        ("mysql://root@localhost/crm", "not a PostgreSQL URL"),
        ("postgresql://user@/voc", "no host"),
        ("postgresql://user@host:5432/", "names no database"),
    ],
)
def test_bad_urls_say_what_is_wrong(url, message):
    with pytest.raises(DsnError, match=message):
        Dsn.from_url(url)


def test_password_never_in_messages():
    assert "hunter2" not in redact_url("postgresql://etl:hunter2@db/warehouse")
    with pytest.raises(DsnError) as info:
        Dsn.from_url("mysql://etl:hunter2@db/warehouse")
    assert "hunter2" not in str(info.value)
