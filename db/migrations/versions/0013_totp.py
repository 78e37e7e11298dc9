"""Second factor (TOTP and recovery codes), sign-in challenges, and OIDC sign-ins.

Revision ID: 0013_totp
Revises: 0012_cookie_sessions
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013_totp"
down_revision = "0012_cookie_sessions"
branch_labels = None
depends_on = None

_DT = sqlmodel.sql.sqltypes.UTCDateTime


def _s(n: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=n)


def upgrade() -> None:
    op.create_table(
        "second_factor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("secret_ciphertext", _s(255), nullable=False),
        sa.Column("created_at", _DT(), nullable=False),
        sa.Column("confirmed_at", _DT(), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", _DT(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("officer_id"),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", _s(64), nullable=False),
        sa.Column("created_at", _DT(), nullable=False),
        sa.Column("used_at", _DT(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_recovery_code_officer_id", "recovery_code", ["officer_id"])
    op.create_table(
        "sign_in_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _s(64), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _DT(), nullable=False),
        sa.Column("expires_at", _DT(), nullable=False),
        sa.Column("used_at", _DT(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_in_challenge_officer_id", "sign_in_challenge", ["officer_id"])
    op.create_table(
        "oidc_sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", _s(255), nullable=False),
        sa.Column("subject", _s(255), nullable=False),
        sa.Column("issued_at", sa.BigInteger(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("outcome", _s(20), nullable=False),
        sa.Column("at", _DT(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject", "issued_at"),
    )


def downgrade() -> None:
    op.drop_table("oidc_sign_in")
    op.drop_index("ix_sign_in_challenge_officer_id", table_name="sign_in_challenge")
    op.drop_table("sign_in_challenge")
    op.drop_index("ix_recovery_code_officer_id", table_name="recovery_code")
    op.drop_table("recovery_code")
    op.drop_table("second_factor")
