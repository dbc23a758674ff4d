"""One Postgres address, spelled for each client that needs it: psycopg, SQLAlchemy, dbt and Airflow.

The embedded warehouse listens only on a unix socket, so the host may be a directory path; URLs carry it
as the libpq ``host`` query parameter, which every client here understands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, quote, unquote, urlsplit


class DsnError(ValueError):
    """A database URL or connection that cannot be used."""


@dataclass(frozen=True)
class Dsn:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @classmethod
    def from_url(cls, url: str) -> "Dsn":
        """Parse ``postgresql[+driver]://user:pw@host:port/db`` or ``postgresql://user@/db?host=/socket/dir``."""
        parts = urlsplit(url)
        scheme = parts.scheme.split("+", 1)[0]
        if scheme not in ("postgresql", "postgres"):
            raise DsnError(f"not a PostgreSQL URL (scheme {parts.scheme!r}): {redact_url(url)}")
        query = parse_qs(parts.query)
        host = query.get("host", [parts.hostname or ""])[0]
        dbname = unquote(parts.path.lstrip("/"))
        if not host:
            raise DsnError(f"PostgreSQL URL has no host (nor ?host=/socket/dir): {redact_url(url)}")
        if not dbname:
            raise DsnError(f"PostgreSQL URL names no database: {redact_url(url)}")
        try:
            port = int(query.get("port", [parts.port or 5432])[0])
        except ValueError as exc:
            raise DsnError(f"PostgreSQL URL has a bad port: {redact_url(url)}") from exc
        return cls(
            host=host,
            port=port,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=dbname,
        )

    @classmethod
    def from_airflow(cls, conn_id: str) -> "Dsn":
        """Read an Airflow connection (``AIRFLOW_CONN_*`` or the metadata DB) from inside a task."""
        from airflow.sdk import Connection

        conn = Connection.get(conn_id)
        if not conn.host or not conn.schema:
            raise DsnError(f"Airflow connection {conn_id!r} needs a host and a schema (the database name)")
        return cls(
            host=conn.host,
            port=int(conn.port or 5432),
            user=conn.login or "postgres",
            password=conn.password or "",
            dbname=conn.schema,
        )

    def with_db(self, dbname: str) -> "Dsn":
        return replace(self, dbname=dbname)

    @property
    def is_socket(self) -> bool:
        return self.host.startswith("/")

    def conninfo(self) -> str:
        """libpq keyword/value string for psycopg."""
        fields = {"host": self.host, "port": self.port, "user": self.user, "dbname": self.dbname}
        if self.password:
            fields["password"] = self.password
        return " ".join(f"{k}={_quote_kv(str(v))}" for k, v in fields.items())

    def url(self, driver: str | None = None) -> str:
        """A URL; ``driver='psycopg'`` gives the SQLAlchemy form ``postgresql+psycopg://``."""
        scheme = "postgresql" + (f"+{driver}" if driver else "")
        auth = quote(self.user, safe="") + (f":{quote(self.password, safe='')}" if self.password else "")
        if self.is_socket:
            return f"{scheme}://{auth}@/{quote(self.dbname)}?host={quote(self.host)}&port={self.port}"
        return f"{scheme}://{auth}@{self.host}:{self.port}/{quote(self.dbname)}"

    def sqlalchemy_url(self) -> str:
        return self.url(driver="psycopg")

    def airflow_conn_json(self) -> str:
        """Value for an ``AIRFLOW_CONN_<ID>`` variable; JSON keeps socket paths intact."""
        return json.dumps(
            {
                "conn_type": "postgres",
                "host": self.host,
                "port": self.port,
                "login": self.user,
                "password": self.password,
                "schema": self.dbname,
            }
        )

    def dbt_env(self) -> dict[str, str]:
        """The variables dbt_project/profiles.yml reads."""
        return {
            "VOC_DBT_HOST": self.host,
            "VOC_DBT_PORT": str(self.port),
            "VOC_DBT_USER": self.user,
            "VOC_DBT_PASSWORD": self.password,
            "VOC_DBT_DBNAME": self.dbname,
        }


def _quote_kv(value: str) -> str:
    if value and all(c not in value for c in " '\\"):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def redact_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
