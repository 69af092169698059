"""Flask extensions, created unbound and initialised in the app factory."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def _auth_failure_limit() -> str:
    return str(current_app.config["RATELIMIT_AUTH_FAILURES"])


# Rate limits (issue 17.9), per client address. The application limit counts only
# answers of 401, checked before credentials are: an address that sent too many bad
# tokens gets 429 for everything until the window passes. Storage: memory in the
# embedded mode, Redis when RATELIMIT_STORAGE_URI (or a Redis broker) is set.
limiter = Limiter(
    key_func=get_remote_address,
    application_limits=[_auth_failure_limit],
    application_limits_deduct_when=lambda response: response.status_code == 401,
    headers_enabled=True,
)
