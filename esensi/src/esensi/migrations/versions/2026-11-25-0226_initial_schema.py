"""initial schema

Revision ID: ab6bf71827ff
Revises: 
Create Date: 2026-11-25 02:26:11.424513+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'ab6bf71827ff'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    # Trigram indexes (name search) exist only on PostgreSQL.
    if _is_postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('auth_rate_limit',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_auth_rate_limit'))
    )
    op.create_index(op.f('ix_auth_rate_limit_expires_at'), 'auth_rate_limit', ['expires_at'], unique=False)
    op.create_table('auth_user',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_verified', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('image', sa.String(length=512), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('display_username', sa.String(length=64), nullable=True),
    sa.Column('two_factor_enabled', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('locale', sa.String(length=5), server_default='id', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("locale IN ('id', 'en')", name=op.f('ck_auth_user_locale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_user'))
    )
    op.create_index('ix_auth_user_lower_email', 'auth_user', [sa.literal_column('lower(email)')], unique=True)
    op.create_index('ix_auth_user_lower_username', 'auth_user', [sa.literal_column('lower(username)')], unique=True, postgresql_where=sa.text('username IS NOT NULL'), sqlite_where=sa.text('username IS NOT NULL'))
    op.create_table('banner',
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('banner_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('link', sa.String(length=512), nullable=True),
    sa.Column('idx', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f('ck_banner_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banner'))
    )
    op.create_index(op.f('ix_banner_title'), 'banner', ['title'], unique=False)
    op.create_table('category',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('img', sa.String(length=512), nullable=True),
    sa.Column('idx', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id_parent', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_parent'], ['category.id'], name=op.f('fk_category_id_parent_category'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category'))
    )
    op.create_index(op.f('ix_category_id_parent'), 'category', ['id_parent'], unique=False)
    op.create_index(op.f('ix_category_slug'), 'category', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('cfg',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('is_public', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_cfg'))
    )
    op.create_table('genre',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('img', sa.String(length=512), nullable=True),
    sa.Column('idx', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id_parent', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_parent'], ['genre.id'], name=op.f('fk_genre_id_parent_genre'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_genre'))
    )
    op.create_index(op.f('ix_genre_id_parent'), 'genre', ['id_parent'], unique=False)
    op.create_index(op.f('ix_genre_slug'), 'genre', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('idempotency_key',
    sa.Column('scope', sa.String(length=128), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.CHAR(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('response_status', sa.SmallInteger(), nullable=True),
    sa.Column('response_body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('in_progress', 'completed')", name=op.f('ck_idempotency_key_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_key')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_idempotency_key_scope_key'))
    )
    op.create_index(op.f('ix_idempotency_key_expires_at'), 'idempotency_key', ['expires_at'], unique=False)
    op.create_table('landing',
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('views', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_landing_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_landing'))
    )
    op.create_index(op.f('ix_landing_slug'), 'landing', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('mail_outbox',
    sa.Column('context', sa.String(length=16), nullable=False),
    sa.Column('account', sa.String(length=32), nullable=True),
    sa.Column('to_addrs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('subject', sa.String(length=998), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('template_alias', sa.String(length=64), nullable=True),
    sa.Column('template_model', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('locale', sa.String(length=5), server_default='id', nullable=False),
    sa.Column('headers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('dedupe_key', sa.String(length=128), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='queued', nullable=False),
    sa.Column('attempts', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("context IN ('main', 'chapter', 'publish', 'internal', 'auth')", name=op.f('ck_mail_outbox_context')),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_mail_outbox_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_mail_outbox_attempts_nonneg')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    op.create_index(op.f('ix_mail_outbox_dedupe_key'), 'mail_outbox', ['dedupe_key'], unique=True, postgresql_where=sa.text('dedupe_key IS NOT NULL'), sqlite_where=sa.text('dedupe_key IS NOT NULL'))
    op.create_index(op.f('ix_mail_outbox_status_mail_outbox_next_attempt_at'), 'mail_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('midtrx',
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('transaction_id', sa.String(length=64), nullable=True),
    sa.Column('transaction_status', sa.String(length=32), nullable=True),
    sa.Column('status_code', sa.String(length=8), nullable=True),
    sa.Column('gross_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('signature_valid', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('received_count', sa.Integer(), server_default='1', nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("outcome IN ('applied', 'duplicate', 'ignored', 'rejected', 'error')", name=op.f('ck_midtrx_outcome')),
    sa.CheckConstraint("type IN ('notification', 'status', 'snap', 'admin')", name=op.f('ck_midtrx_type')),
    sa.CheckConstraint('gross_amount >= 0', name=op.f('ck_midtrx_gross_amount_nonneg')),
    sa.CheckConstraint('received_count >= 0', name=op.f('ck_midtrx_received_count_nonneg')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_midtrx'))
    )
    op.create_index(op.f('ix_midtrx_order_id'), 'midtrx', ['order_id'], unique=False)
    op.create_index('uq_midtrx_notification', 'midtrx', ['type', 'order_id', 'transaction_id', 'transaction_status', 'status_code'], unique=True, postgresql_where=sa.text("type = 'notification'"), sqlite_where=sa.text("type = 'notification'"))
    op.create_table('tags',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('img', sa.String(length=512), nullable=True),
    sa.Column('idx', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id_parent', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_parent'], ['tags.id'], name=op.f('fk_tags_id_parent_tags'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags'))
    )
    op.create_index(op.f('ix_tags_id_parent'), 'tags', ['id_parent'], unique=False)
    op.create_index(op.f('ix_tags_slug'), 'tags', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('affiliate',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_affiliate_id_user_auth_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate'))
    )
    op.create_index(op.f('ix_affiliate_id_user'), 'affiliate', ['id_user'], unique=True, postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('actor_type', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("actor_type IN ('internal', 'author', 'publisher', 'customer', 'affiliate', 'system', 'gateway')", name=op.f('ck_audit_log_actor_type')),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_audit_log_id_user_auth_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_entity_audit_log_entity_id'), 'audit_log', ['entity', 'entity_id'], unique=False)
    op.create_index(op.f('ix_audit_log_id_user_audit_log_created_at'), 'audit_log', ['id_user', 'created_at'], unique=False)
    op.create_table('auth_account',
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('id_provider', sa.String(length=32), nullable=False),
    sa.Column('id_account', sa.String(length=255), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=True),
    sa.Column('access_token', sa.Text(), nullable=True),
    sa.Column('refresh_token', sa.Text(), nullable=True),
    sa.Column('id_token', sa.Text(), nullable=True),
    sa.Column('access_token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refresh_token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scope', sa.String(length=512), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("id_provider IN ('credential', 'google')", name=op.f('ck_auth_account_id_provider')),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_auth_account_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_account')),
    sa.UniqueConstraint('id_provider', 'id_account', name=op.f('uq_auth_account_id_provider_id_account')),
    sa.UniqueConstraint('id_user', 'id_provider', name=op.f('uq_auth_account_id_user_id_provider'))
    )
    op.create_table('auth_session',
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.CHAR(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idle_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('authenticated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('two_factor_verified', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=512), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('family_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_auth_session_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_session_token_hash'))
    )
    op.create_index(op.f('ix_auth_session_family_id'), 'auth_session', ['family_id'], unique=False)
    op.create_index(op.f('ix_auth_session_id_user_auth_session_revoked_at'), 'auth_session', ['id_user', 'revoked_at'], unique=False)
    op.create_table('auth_two_factor',
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('secret', sa.String(length=255), nullable=False),
    sa.Column('backup_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_auth_two_factor_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_two_factor')),
    sa.UniqueConstraint('id_user', name=op.f('uq_auth_two_factor_id_user'))
    )
    op.create_table('auth_verification',
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('identifier', sa.String(length=320), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('value_hash', sa.CHAR(length=64), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('attempts', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("purpose IN ('email_verification', 'password_reset', 'email_otp', 'change_email', 'two_factor_otp', 'delete_account', 'handoff')", name=op.f('ck_auth_verification_purpose')),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_auth_verification_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_verification')),
    sa.UniqueConstraint('purpose', 'value_hash', name=op.f('uq_auth_verification_purpose_value_hash'))
    )
    op.create_index(op.f('ix_auth_verification_id_user'), 'auth_verification', ['id_user'], unique=False)
    op.create_index(op.f('ix_auth_verification_purpose_auth_verification_identifier'), 'auth_verification', ['purpose', 'identifier'], unique=False)
    op.create_table('author',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('biography', sa.Text(), nullable=True),
    sa.Column('social_media', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('avatar', sa.String(length=512), nullable=True),
    sa.Column('cfg', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('bank_account_number', sa.String(length=64), nullable=True),
    sa.Column('bank_account_provider', sa.String(length=64), nullable=True),
    sa.Column('bank_account_name', sa.String(length=255), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_author_id_user_auth_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_author'))
    )
    op.create_index(op.f('ix_author_id_user'), 'author', ['id_user'], unique=True, postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.create_table('customer',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('whatsapp', sa.String(length=20), nullable=True),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_customer_id_user_auth_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer'))
    )
    op.create_index(op.f('ix_customer_id_user'), 'customer', ['id_user'], unique=True, postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.create_index('ix_customer_lower_email', 'customer', [sa.literal_column('lower(email)')], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('internal',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('is_sales_and_marketing', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_support', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_management', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_it', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('is_sales_and_marketing OR is_support OR is_management OR is_it', name=op.f('ck_internal_has_role')),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_internal_id_user_auth_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal')),
    sa.UniqueConstraint('id_user', name=op.f('uq_internal_id_user'))
    )
    op.create_table('landing_items',
    sa.Column('id_landing', sa.Uuid(), nullable=False),
    sa.Column('img_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=True),
    sa.Column('link_to', sa.String(length=512), nullable=True),
    sa.Column('idx', sa.Integer(), server_default='0', nullable=False),
    sa.Column('color', sa.String(length=16), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_landing'], ['landing.id'], name=op.f('fk_landing_items_id_landing_landing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_landing_items'))
    )
    op.create_index(op.f('ix_landing_items_id_landing_landing_items_idx'), 'landing_items', ['id_landing', 'idx'], unique=False)
    op.create_table('notif',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=8), server_default='unread', nullable=False),
    sa.Column('url', sa.String(length=512), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('thumbnail', sa.String(length=512), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('unread', 'read')", name=op.f('ck_notif_status')),
    sa.CheckConstraint("type IN ('message', 'order-update', 'payment-success', 'book-approve', 'book-reject', 'comment', 'like', 'follow', 'announcement', 'book-submit', 'book-revise', 'chapter-new', 'withdrawal-update')", name=op.f('ck_notif_type')),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_notif_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notif'))
    )
    op.create_index('ix_notif_id_user_id_desc', 'notif', ['id_user', sa.literal_column('id DESC')], unique=False)
    op.create_index('ix_notif_id_user_unread', 'notif', ['id_user'], unique=False, postgresql_where=sa.text("status = 'unread'"), sqlite_where=sa.text("status = 'unread'"))
    op.create_table('publisher',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('website', sa.String(length=512), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('logo', sa.String(length=512), nullable=True),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('bank_account_number', sa.String(length=64), nullable=True),
    sa.Column('bank_account_provider', sa.String(length=64), nullable=True),
    sa.Column('bank_account_name', sa.String(length=255), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_publisher_id_user_auth_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publisher'))
    )
    op.create_index(op.f('ix_publisher_id_user'), 'publisher', ['id_user'], unique=True, postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.create_index('ix_publisher_lower_name', 'publisher', [sa.literal_column('lower(name)')], unique=True)
    op.create_table('author_follow',
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('id_author', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_author_follow_id_author_author'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_author_follow_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_author_follow')),
    sa.UniqueConstraint('id_user', 'id_author', name=op.f('uq_author_follow_id_user_id_author'))
    )
    op.create_index(op.f('ix_author_follow_id_author'), 'author_follow', ['id_author'], unique=False)
    op.create_table('bundle',
    sa.Column('real_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('strike_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('cfg', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('id_author', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('desc', sa.Text(), nullable=True),
    sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('img_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('cover', sa.String(length=512), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('currency', sa.CHAR(length=3), server_default='IDR', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'paused')", name=op.f('ck_bundle_status')),
    sa.CheckConstraint('real_price >= 0', name=op.f('ck_bundle_real_price_nonneg')),
    sa.CheckConstraint('strike_price >= 0', name=op.f('ck_bundle_strike_price_nonneg')),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_bundle_id_author_author'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle'))
    )
    if _is_postgres():
        op.create_index('bundle_name_trgm', 'bundle', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index(op.f('ix_bundle_id_author'), 'bundle', ['id_author'], unique=False)
    op.create_index(op.f('ix_bundle_sku'), 'bundle', ['sku'], unique=True, postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.create_index(op.f('ix_bundle_slug'), 'bundle', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_table('product',
    sa.Column('real_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('strike_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('alias', sa.String(length=255), nullable=True),
    sa.Column('product_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('published_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_physical', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('preorder_min_qty', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=16), server_default='ebook', nullable=False),
    sa.Column('is_chapter', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('id_author', sa.Uuid(), nullable=False),
    sa.Column('id_publisher', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('desc', sa.Text(), nullable=True),
    sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('img_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('cover', sa.String(length=512), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('currency', sa.CHAR(length=3), server_default='IDR', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("content_type IN ('ebook', 'audio', 'comic')", name=op.f('ck_product_content_type')),
    sa.CheckConstraint("status IN ('draft', 'published', 'paused', 'discontinued')", name=op.f('ck_product_status')),
    sa.CheckConstraint('preorder_min_qty >= 0', name=op.f('ck_product_preorder_min_qty_nonneg')),
    sa.CheckConstraint('real_price >= 0', name=op.f('ck_product_real_price_nonneg')),
    sa.CheckConstraint('strike_price >= 0', name=op.f('ck_product_strike_price_nonneg')),
    sa.CheckConstraint('strike_price IS NULL OR strike_price >= real_price', name=op.f('ck_product_strike_price_gte_real')),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_product_id_author_author'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_publisher'], ['publisher.id'], name=op.f('fk_product_id_publisher_publisher'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product'))
    )
    op.create_index(op.f('ix_product_id_author'), 'product', ['id_author'], unique=False)
    op.create_index(op.f('ix_product_id_publisher'), 'product', ['id_publisher'], unique=False)
    op.create_index(op.f('ix_product_sku'), 'product', ['sku'], unique=True, postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.create_index(op.f('ix_product_slug'), 'product', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_index(op.f('ix_product_status_product_created_at'), 'product', ['status', 'created_at'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    if _is_postgres():
        op.create_index('product_name_trgm', 'product', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_table('promo_code',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('discount_type', sa.String(length=16), nullable=False),
    sa.Column('discount_value', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('max_discount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('min_subtotal', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('used_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('per_customer_limit', sa.Integer(), server_default='1', nullable=False),
    sa.Column('id_publisher', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("discount_type <> 'percentage' OR discount_value <= 100", name=op.f('ck_promo_code_percentage_max')),
    sa.CheckConstraint("discount_type IN ('percentage', 'fixed')", name=op.f('ck_promo_code_discount_type')),
    sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f('ck_promo_code_status')),
    sa.CheckConstraint('discount_value > 0', name=op.f('ck_promo_code_discount_value_positive')),
    sa.CheckConstraint('max_discount >= 0', name=op.f('ck_promo_code_max_discount_nonneg')),
    sa.CheckConstraint('min_subtotal >= 0', name=op.f('ck_promo_code_min_subtotal_nonneg')),
    sa.CheckConstraint('per_customer_limit >= 0', name=op.f('ck_promo_code_per_customer_limit_nonneg')),
    sa.CheckConstraint('usage_limit > 0', name=op.f('ck_promo_code_usage_limit_positive')),
    sa.CheckConstraint('used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)', name=op.f('ck_promo_code_used_count_range')),
    sa.CheckConstraint('valid_to IS NULL OR valid_to > valid_from', name=op.f('ck_promo_code_valid_range')),
    sa.ForeignKeyConstraint(['id_publisher'], ['publisher.id'], name=op.f('fk_promo_code_id_publisher_publisher'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_code'))
    )
    op.create_index(op.f('ix_promo_code_id_publisher'), 'promo_code', ['id_publisher'], unique=False)
    op.create_index('ix_promo_code_upper_code', 'promo_code', [sa.literal_column('upper(code)')], unique=True)
    op.create_table('publisher_author',
    sa.Column('publisher_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='invited', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'active', 'declined')", name=op.f('ck_publisher_author_status')),
    sa.ForeignKeyConstraint(['author_id'], ['author.id'], name=op.f('fk_publisher_author_author_id_author'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['publisher_id'], ['publisher.id'], name=op.f('fk_publisher_author_publisher_id_publisher'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publisher_author')),
    sa.UniqueConstraint('publisher_id', 'author_id', name=op.f('uq_publisher_author_publisher_id_author_id'))
    )
    op.create_index(op.f('ix_publisher_author_author_id'), 'publisher_author', ['author_id'], unique=False)
    op.create_table('withdrawal',
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('bank_account_number', sa.String(length=64), nullable=False),
    sa.Column('bank_account_provider', sa.String(length=64), nullable=False),
    sa.Column('bank_account_name', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id_internal', sa.Uuid(), nullable=True),
    sa.Column('reference', sa.String(length=128), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('id_publisher', sa.Uuid(), nullable=True),
    sa.Column('id_author', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status <> 'paid' OR reference IS NOT NULL", name=op.f('ck_withdrawal_reference_required')),
    sa.CheckConstraint("status <> 'rejected' OR note IS NOT NULL", name=op.f('ck_withdrawal_note_required')),
    sa.CheckConstraint("status IN ('pending', 'paid', 'rejected', 'cancelled')", name=op.f('ck_withdrawal_status')),
    sa.CheckConstraint('(id_publisher IS NULL) <> (id_author IS NULL)', name=op.f('ck_withdrawal_one_owner')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_withdrawal_amount_positive')),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_withdrawal_id_author_author'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_internal'], ['internal.id'], name=op.f('fk_withdrawal_id_internal_internal'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_publisher'], ['publisher.id'], name=op.f('fk_withdrawal_id_publisher_publisher'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_withdrawal'))
    )
    op.create_index(op.f('ix_withdrawal_id_author'), 'withdrawal', ['id_author'], unique=False)
    op.create_index(op.f('ix_withdrawal_id_internal'), 'withdrawal', ['id_internal'], unique=False)
    op.create_index(op.f('ix_withdrawal_id_publisher'), 'withdrawal', ['id_publisher'], unique=False)
    op.create_index('uq_withdrawal_pending_author', 'withdrawal', ['id_author'], unique=True, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.create_index('uq_withdrawal_pending_publisher', 'withdrawal', ['id_publisher'], unique=True, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.create_table('book',
    sa.Column('submitted_price', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('id_product', sa.Uuid(), nullable=True),
    sa.Column('cfg', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('alias', sa.String(length=255), nullable=True),
    sa.Column('product_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('published_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_physical', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('preorder_min_qty', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=16), server_default='ebook', nullable=False),
    sa.Column('is_chapter', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('id_author', sa.Uuid(), nullable=False),
    sa.Column('id_publisher', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=255), nullable=False),
    sa.Column('desc', sa.Text(), nullable=True),
    sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('img_file', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('cover', sa.String(length=512), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('currency', sa.CHAR(length=3), server_default='IDR', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("content_type IN ('ebook', 'audio', 'comic')", name=op.f('ck_book_content_type')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'published', 'rejected')", name=op.f('ck_book_status')),
    sa.CheckConstraint('preorder_min_qty >= 0', name=op.f('ck_book_preorder_min_qty_nonneg')),
    sa.CheckConstraint('submitted_price >= 0', name=op.f('ck_book_submitted_price_nonneg')),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_book_id_author_author'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_book_id_product_product'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_publisher'], ['publisher.id'], name=op.f('fk_book_id_publisher_publisher'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book')),
    sa.UniqueConstraint('id_product', name=op.f('uq_book_id_product'))
    )
    if _is_postgres():
        op.create_index('book_name_trgm', 'book', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index(op.f('ix_book_id_author'), 'book', ['id_author'], unique=False)
    op.create_index(op.f('ix_book_id_author_book_status'), 'book', ['id_author', 'status'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_index(op.f('ix_book_id_publisher'), 'book', ['id_publisher'], unique=False)
    op.create_index(op.f('ix_book_sku'), 'book', ['sku'], unique=True, postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.create_index(op.f('ix_book_slug'), 'book', ['slug'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.create_index(op.f('ix_book_status_book_created_at'), 'book', ['status', 'created_at'], unique=False)
    op.create_table('bundle_category',
    sa.Column('id_bundle', sa.Uuid(), nullable=False),
    sa.Column('id_category', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_bundle'], ['bundle.id'], name=op.f('fk_bundle_category_id_bundle_bundle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_category'], ['category.id'], name=op.f('fk_bundle_category_id_category_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_bundle', 'id_category', name=op.f('pk_bundle_category'))
    )
    op.create_index(op.f('ix_bundle_category_id_category'), 'bundle_category', ['id_category'], unique=False)
    op.create_table('bundle_product',
    sa.Column('id_bundle', sa.Uuid(), nullable=False),
    sa.Column('id_product', sa.Uuid(), nullable=False),
    sa.Column('qty', sa.SmallInteger(), server_default='1', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('qty BETWEEN 1 AND 100', name=op.f('ck_bundle_product_qty_range')),
    sa.ForeignKeyConstraint(['id_bundle'], ['bundle.id'], name=op.f('fk_bundle_product_id_bundle_bundle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_bundle_product_id_product_product'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle_product')),
    sa.UniqueConstraint('id_bundle', 'id_product', name=op.f('uq_bundle_product_id_bundle_id_product'))
    )
    op.create_index(op.f('ix_bundle_product_id_product'), 'bundle_product', ['id_product'], unique=False)
    op.create_table('product_category',
    sa.Column('id_product', sa.Uuid(), nullable=False),
    sa.Column('id_category', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_category'], ['category.id'], name=op.f('fk_product_category_id_category_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_product_category_id_product_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_product', 'id_category', name=op.f('pk_product_category'))
    )
    op.create_index(op.f('ix_product_category_id_category'), 'product_category', ['id_category'], unique=False)
    op.create_table('t_sales',
    sa.Column('id_customer', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='cart', nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('discount_total', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('id_promo_code', sa.Uuid(), nullable=True),
    sa.Column('promo_code', sa.String(length=64), nullable=True),
    sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('midtrans_order_id', sa.String(length=64), nullable=True),
    sa.Column('snap_token', sa.String(length=128), nullable=True),
    sa.Column('snap_redirect_url', sa.String(length=512), nullable=True),
    sa.Column('payment_type', sa.String(length=32), nullable=True),
    sa.Column('fraud_status', sa.String(length=16), nullable=True),
    sa.Column('midtrans_success', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('midtrans_pending', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('midtrans_error', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('checkout_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), server_default='IDR', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("fraud_status IN ('accept', 'challenge', 'deny')", name=op.f('ck_t_sales_fraud_status')),
    sa.CheckConstraint("status IN ('cart', 'pending', 'paid', 'expired', 'cancelled', 'denied', 'failed', 'refunded')", name=op.f('ck_t_sales_status')),
    sa.CheckConstraint('discount_total >= 0', name=op.f('ck_t_sales_discount_total_nonneg')),
    sa.CheckConstraint('subtotal >= 0', name=op.f('ck_t_sales_subtotal_nonneg')),
    sa.CheckConstraint('total = round(subtotal - discount_total, 2)', name=op.f('ck_t_sales_total_sum')),
    sa.CheckConstraint('total >= 0', name=op.f('ck_t_sales_total_nonneg')),
    sa.ForeignKeyConstraint(['id_customer'], ['customer.id'], name=op.f('fk_t_sales_id_customer_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_promo_code'], ['promo_code.id'], name=op.f('fk_t_sales_id_promo_code_promo_code'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_t_sales'))
    )
    op.create_index(op.f('ix_t_sales_id_customer_t_sales_status_t_sales_created_at'), 't_sales', ['id_customer', 'status', 'created_at'], unique=False)
    op.create_index(op.f('ix_t_sales_id_promo_code'), 't_sales', ['id_promo_code'], unique=False)
    op.create_index(op.f('ix_t_sales_midtrans_order_id'), 't_sales', ['midtrans_order_id'], unique=True, postgresql_where=sa.text('midtrans_order_id IS NOT NULL'), sqlite_where=sa.text('midtrans_order_id IS NOT NULL'))
    op.create_index(op.f('ix_t_sales_status_t_sales_created_at'), 't_sales', ['status', 'created_at'], unique=False)
    op.create_index('uq_t_sales_cart', 't_sales', ['id_customer'], unique=True, postgresql_where=sa.text("status = 'cart' AND deleted_at IS NULL"), sqlite_where=sa.text("status = 'cart' AND deleted_at IS NULL"))
    op.create_table('book_approval',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('id_internal', sa.Uuid(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("comment IS NOT NULL OR status NOT IN ('rejected', 'revise', 'unpublished')", name=op.f('ck_book_approval_comment_required')),
    sa.CheckConstraint("status IN ('submitted', 'published', 'rejected', 'revise', 'unpublished')", name=op.f('ck_book_approval_status')),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_book_approval_id_book_book'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_internal'], ['internal.id'], name=op.f('fk_book_approval_id_internal_internal'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_approval'))
    )
    op.create_index(op.f('ix_book_approval_id_book_book_approval_created_at'), 'book_approval', ['id_book', 'created_at'], unique=False)
    op.create_index(op.f('ix_book_approval_id_internal'), 'book_approval', ['id_internal'], unique=False)
    op.create_table('book_changes_log',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_book_changes_log_id_book_book'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_book_changes_log_id_user_auth_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_changes_log'))
    )
    op.create_index(op.f('ix_book_changes_log_id_book_book_changes_log_created_at'), 'book_changes_log', ['id_book', 'created_at'], unique=False)
    op.create_index(op.f('ix_book_changes_log_id_user'), 'book_changes_log', ['id_user'], unique=False)
    op.create_table('book_genre',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('id_genre', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_book_genre_id_book_book'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_genre'], ['genre.id'], name=op.f('fk_book_genre_id_genre_genre'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_book', 'id_genre', name=op.f('pk_book_genre'))
    )
    op.create_index(op.f('ix_book_genre_id_genre'), 'book_genre', ['id_genre'], unique=False)
    op.create_table('book_tags',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('id_tags', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_book_tags_id_book_book'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_tags'], ['tags.id'], name=op.f('fk_book_tags_id_tags_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_book', 'id_tags', name=op.f('pk_book_tags'))
    )
    op.create_index(op.f('ix_book_tags_id_tags'), 'book_tags', ['id_tags'], unique=False)
    op.create_table('chapter',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default=sa.text('\'{"blocks": []}\''), nullable=False),
    sa.Column('is_free', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_chapter_status')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_chapter_number_positive')),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_chapter_id_book_book'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapter')),
    sa.UniqueConstraint('id_book', 'number', name=op.f('uq_chapter_id_book_number'))
    )
    op.create_table('promo_code_usage',
    sa.Column('id_promo_code', sa.Uuid(), nullable=False),
    sa.Column('id_sales', sa.Uuid(), nullable=False),
    sa.Column('id_customer', sa.Uuid(), nullable=False),
    sa.Column('discount_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('discount_amount >= 0', name=op.f('ck_promo_code_usage_discount_amount_nonneg')),
    sa.ForeignKeyConstraint(['id_customer'], ['customer.id'], name=op.f('fk_promo_code_usage_id_customer_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_promo_code'], ['promo_code.id'], name=op.f('fk_promo_code_usage_id_promo_code_promo_code'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_sales'], ['t_sales.id'], name=op.f('fk_promo_code_usage_id_sales_t_sales'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_code_usage')),
    sa.UniqueConstraint('id_sales', name=op.f('uq_promo_code_usage_id_sales'))
    )
    op.create_index(op.f('ix_promo_code_usage_id_customer'), 'promo_code_usage', ['id_customer'], unique=False)
    op.create_index(op.f('ix_promo_code_usage_id_promo_code_promo_code_usage_id_customer'), 'promo_code_usage', ['id_promo_code', 'id_customer'], unique=False)
    op.create_table('reviews',
    sa.Column('id_book', sa.Uuid(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('parent', sa.Uuid(), nullable=True),
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(parent IS NULL) = (rating IS NOT NULL)', name=op.f('ck_reviews_rating_on_top_level')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_reviews_rating_range')),
    sa.ForeignKeyConstraint(['id_book'], ['book.id'], name=op.f('fk_reviews_id_book_book'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_reviews_id_user_auth_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent'], ['reviews.id'], name=op.f('fk_reviews_parent_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    op.create_index(op.f('ix_reviews_id_book_reviews_created_at'), 'reviews', ['id_book', 'created_at'], unique=False)
    op.create_index(op.f('ix_reviews_id_book_reviews_id_user'), 'reviews', ['id_book', 'id_user'], unique=True, postgresql_where=sa.text('parent IS NULL AND deleted_at IS NULL'), sqlite_where=sa.text('parent IS NULL AND deleted_at IS NULL'))
    op.create_index(op.f('ix_reviews_id_user'), 'reviews', ['id_user'], unique=False)
    op.create_index(op.f('ix_reviews_parent'), 'reviews', ['parent'], unique=False)
    op.create_table('t_sales_download',
    sa.Column('id_customer', sa.Uuid(), nullable=False),
    sa.Column('id_product', sa.Uuid(), nullable=False),
    sa.Column('id_sales', sa.Uuid(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('download_key', sa.CHAR(length=64), nullable=True),
    sa.Column('download_key_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_customer'], ['customer.id'], name=op.f('fk_t_sales_download_id_customer_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_t_sales_download_id_product_product'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_sales'], ['t_sales.id'], name=op.f('fk_t_sales_download_id_sales_t_sales'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_t_sales_download')),
    sa.UniqueConstraint('id_customer', 'id_product', name=op.f('uq_t_sales_download_id_customer_id_product'))
    )
    op.create_index(op.f('ix_t_sales_download_id_product'), 't_sales_download', ['id_product'], unique=False)
    op.create_index(op.f('ix_t_sales_download_id_sales'), 't_sales_download', ['id_sales'], unique=False)
    op.create_table('t_sales_line',
    sa.Column('id_sales', sa.Uuid(), nullable=False),
    sa.Column('id_product', sa.Uuid(), nullable=True),
    sa.Column('id_bundle', sa.Uuid(), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('qty', sa.SmallInteger(), server_default='1', nullable=False),
    sa.Column('total_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('discount_amount', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(id_product IS NULL) <> (id_bundle IS NULL)', name=op.f('ck_t_sales_line_one_item')),
    sa.CheckConstraint('discount_amount >= 0', name=op.f('ck_t_sales_line_discount_amount_nonneg')),
    sa.CheckConstraint('qty BETWEEN 1 AND 10', name=op.f('ck_t_sales_line_qty_range')),
    sa.CheckConstraint('total_price = round(unit_price * qty, 2)', name=op.f('ck_t_sales_line_total_price_product')),
    sa.CheckConstraint('total_price >= 0', name=op.f('ck_t_sales_line_total_price_nonneg')),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_t_sales_line_unit_price_nonneg')),
    sa.ForeignKeyConstraint(['id_bundle'], ['bundle.id'], name=op.f('fk_t_sales_line_id_bundle_bundle'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_t_sales_line_id_product_product'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_sales'], ['t_sales.id'], name=op.f('fk_t_sales_line_id_sales_t_sales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_t_sales_line')),
    sa.UniqueConstraint('id_sales', 'id_bundle', name=op.f('uq_t_sales_line_id_sales_id_bundle')),
    sa.UniqueConstraint('id_sales', 'id_product', name=op.f('uq_t_sales_line_id_sales_id_product'))
    )
    op.create_index(op.f('ix_t_sales_line_id_bundle'), 't_sales_line', ['id_bundle'], unique=False)
    op.create_index(op.f('ix_t_sales_line_id_product'), 't_sales_line', ['id_product'], unique=False)
    op.create_table('customer_reader',
    sa.Column('id_customer', sa.Uuid(), nullable=False),
    sa.Column('id_product', sa.Uuid(), nullable=False),
    sa.Column('id_chapter', sa.Uuid(), nullable=True),
    sa.Column('last_page', sa.Integer(), server_default='0', nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), server_default='0', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('last_page >= 0', name=op.f('ck_customer_reader_last_page_nonneg')),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_customer_reader_percent_range')),
    sa.ForeignKeyConstraint(['id_chapter'], ['chapter.id'], name=op.f('fk_customer_reader_id_chapter_chapter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['id_customer'], ['customer.id'], name=op.f('fk_customer_reader_id_customer_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_product'], ['product.id'], name=op.f('fk_customer_reader_id_product_product'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_reader')),
    sa.UniqueConstraint('id_customer', 'id_product', name=op.f('uq_customer_reader_id_customer_id_product'))
    )
    op.create_index(op.f('ix_customer_reader_id_chapter'), 'customer_reader', ['id_chapter'], unique=False)
    op.create_index(op.f('ix_customer_reader_id_product'), 'customer_reader', ['id_product'], unique=False)
    op.create_table('reviews_likes',
    sa.Column('id_reviews', sa.Uuid(), nullable=False),
    sa.Column('id_user', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['id_reviews'], ['reviews.id'], name=op.f('fk_reviews_likes_id_reviews_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['id_user'], ['auth_user.id'], name=op.f('fk_reviews_likes_id_user_auth_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews_likes')),
    sa.UniqueConstraint('id_reviews', 'id_user', name=op.f('uq_reviews_likes_id_reviews_id_user'))
    )
    op.create_index(op.f('ix_reviews_likes_id_user'), 'reviews_likes', ['id_user'], unique=False)
    op.create_table('transaction',
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('id_sales', sa.Uuid(), nullable=True),
    sa.Column('id_sales_line', sa.Uuid(), nullable=True),
    sa.Column('id_withdrawal', sa.Uuid(), nullable=True),
    sa.Column('info', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('id_publisher', sa.Uuid(), nullable=True),
    sa.Column('id_author', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(type IN ('sale', 'withdrawal_reversal') AND amount > 0) OR (type IN ('refund', 'withdrawal') AND amount < 0) OR type = 'adjustment'", name=op.f('ck_transaction_amount_sign')),
    sa.CheckConstraint("type IN ('sale', 'refund', 'withdrawal', 'withdrawal_reversal', 'adjustment')", name=op.f('ck_transaction_type')),
    sa.CheckConstraint('(id_publisher IS NULL) <> (id_author IS NULL)', name=op.f('ck_transaction_one_owner')),
    sa.ForeignKeyConstraint(['id_author'], ['author.id'], name=op.f('fk_transaction_id_author_author'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_publisher'], ['publisher.id'], name=op.f('fk_transaction_id_publisher_publisher'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_sales'], ['t_sales.id'], name=op.f('fk_transaction_id_sales_t_sales'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_sales_line'], ['t_sales_line.id'], name=op.f('fk_transaction_id_sales_line_t_sales_line'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['id_withdrawal'], ['withdrawal.id'], name=op.f('fk_transaction_id_withdrawal_withdrawal'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transaction')),
    sa.UniqueConstraint('id_withdrawal', 'type', name=op.f('uq_transaction_id_withdrawal_type'))
    )
    op.create_index(op.f('ix_transaction_id_author_transaction_created_at'), 'transaction', ['id_author', 'created_at'], unique=False)
    op.create_index(op.f('ix_transaction_id_publisher_transaction_created_at'), 'transaction', ['id_publisher', 'created_at'], unique=False)
    op.create_index(op.f('ix_transaction_id_sales'), 'transaction', ['id_sales'], unique=False)
    op.create_index(op.f('ix_transaction_id_sales_line'), 'transaction', ['id_sales_line'], unique=False)
    op.create_index(op.f('ix_transaction_id_sales_line_transaction_type_transaction_id_author'), 'transaction', ['id_sales_line', 'type', 'id_author'], unique=True, postgresql_where=sa.text('id_author IS NOT NULL'), sqlite_where=sa.text('id_author IS NOT NULL'))
    op.create_index(op.f('ix_transaction_id_sales_line_transaction_type_transaction_id_publisher'), 'transaction', ['id_sales_line', 'type', 'id_publisher'], unique=True, postgresql_where=sa.text('id_publisher IS NOT NULL'), sqlite_where=sa.text('id_publisher IS NOT NULL'))


def downgrade() -> None:
    op.drop_index(op.f('ix_transaction_id_sales_line_transaction_type_transaction_id_publisher'), table_name='transaction', postgresql_where=sa.text('id_publisher IS NOT NULL'), sqlite_where=sa.text('id_publisher IS NOT NULL'))
    op.drop_index(op.f('ix_transaction_id_sales_line_transaction_type_transaction_id_author'), table_name='transaction', postgresql_where=sa.text('id_author IS NOT NULL'), sqlite_where=sa.text('id_author IS NOT NULL'))
    op.drop_index(op.f('ix_transaction_id_sales_line'), table_name='transaction')
    op.drop_index(op.f('ix_transaction_id_sales'), table_name='transaction')
    op.drop_index(op.f('ix_transaction_id_publisher_transaction_created_at'), table_name='transaction')
    op.drop_index(op.f('ix_transaction_id_author_transaction_created_at'), table_name='transaction')
    op.drop_table('transaction')
    op.drop_index(op.f('ix_reviews_likes_id_user'), table_name='reviews_likes')
    op.drop_table('reviews_likes')
    op.drop_index(op.f('ix_customer_reader_id_product'), table_name='customer_reader')
    op.drop_index(op.f('ix_customer_reader_id_chapter'), table_name='customer_reader')
    op.drop_table('customer_reader')
    op.drop_index(op.f('ix_t_sales_line_id_product'), table_name='t_sales_line')
    op.drop_index(op.f('ix_t_sales_line_id_bundle'), table_name='t_sales_line')
    op.drop_table('t_sales_line')
    op.drop_index(op.f('ix_t_sales_download_id_sales'), table_name='t_sales_download')
    op.drop_index(op.f('ix_t_sales_download_id_product'), table_name='t_sales_download')
    op.drop_table('t_sales_download')
    op.drop_index(op.f('ix_reviews_parent'), table_name='reviews')
    op.drop_index(op.f('ix_reviews_id_user'), table_name='reviews')
    op.drop_index(op.f('ix_reviews_id_book_reviews_id_user'), table_name='reviews', postgresql_where=sa.text('parent IS NULL AND deleted_at IS NULL'), sqlite_where=sa.text('parent IS NULL AND deleted_at IS NULL'))
    op.drop_index(op.f('ix_reviews_id_book_reviews_created_at'), table_name='reviews')
    op.drop_table('reviews')
    op.drop_index(op.f('ix_promo_code_usage_id_promo_code_promo_code_usage_id_customer'), table_name='promo_code_usage')
    op.drop_index(op.f('ix_promo_code_usage_id_customer'), table_name='promo_code_usage')
    op.drop_table('promo_code_usage')
    op.drop_table('chapter')
    op.drop_index(op.f('ix_book_tags_id_tags'), table_name='book_tags')
    op.drop_table('book_tags')
    op.drop_index(op.f('ix_book_genre_id_genre'), table_name='book_genre')
    op.drop_table('book_genre')
    op.drop_index(op.f('ix_book_changes_log_id_user'), table_name='book_changes_log')
    op.drop_index(op.f('ix_book_changes_log_id_book_book_changes_log_created_at'), table_name='book_changes_log')
    op.drop_table('book_changes_log')
    op.drop_index(op.f('ix_book_approval_id_internal'), table_name='book_approval')
    op.drop_index(op.f('ix_book_approval_id_book_book_approval_created_at'), table_name='book_approval')
    op.drop_table('book_approval')
    op.drop_index('uq_t_sales_cart', table_name='t_sales', postgresql_where=sa.text("status = 'cart' AND deleted_at IS NULL"), sqlite_where=sa.text("status = 'cart' AND deleted_at IS NULL"))
    op.drop_index(op.f('ix_t_sales_status_t_sales_created_at'), table_name='t_sales')
    op.drop_index(op.f('ix_t_sales_midtrans_order_id'), table_name='t_sales', postgresql_where=sa.text('midtrans_order_id IS NOT NULL'), sqlite_where=sa.text('midtrans_order_id IS NOT NULL'))
    op.drop_index(op.f('ix_t_sales_id_promo_code'), table_name='t_sales')
    op.drop_index(op.f('ix_t_sales_id_customer_t_sales_status_t_sales_created_at'), table_name='t_sales')
    op.drop_table('t_sales')
    op.drop_index(op.f('ix_product_category_id_category'), table_name='product_category')
    op.drop_table('product_category')
    op.drop_index(op.f('ix_bundle_product_id_product'), table_name='bundle_product')
    op.drop_table('bundle_product')
    op.drop_index(op.f('ix_bundle_category_id_category'), table_name='bundle_category')
    op.drop_table('bundle_category')
    op.drop_index(op.f('ix_book_status_book_created_at'), table_name='book')
    op.drop_index(op.f('ix_book_slug'), table_name='book', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_book_sku'), table_name='book', postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.drop_index(op.f('ix_book_id_publisher'), table_name='book')
    op.drop_index(op.f('ix_book_id_author_book_status'), table_name='book', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_book_id_author'), table_name='book')
    if _is_postgres():
        op.drop_index('book_name_trgm', table_name='book', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_table('book')
    op.drop_index('uq_withdrawal_pending_publisher', table_name='withdrawal', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.drop_index('uq_withdrawal_pending_author', table_name='withdrawal', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.drop_index(op.f('ix_withdrawal_id_publisher'), table_name='withdrawal')
    op.drop_index(op.f('ix_withdrawal_id_internal'), table_name='withdrawal')
    op.drop_index(op.f('ix_withdrawal_id_author'), table_name='withdrawal')
    op.drop_table('withdrawal')
    op.drop_index(op.f('ix_publisher_author_author_id'), table_name='publisher_author')
    op.drop_table('publisher_author')
    op.drop_index('ix_promo_code_upper_code', table_name='promo_code')
    op.drop_index(op.f('ix_promo_code_id_publisher'), table_name='promo_code')
    op.drop_table('promo_code')
    if _is_postgres():
        op.drop_index('product_name_trgm', table_name='product', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_product_status_product_created_at'), table_name='product', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_product_slug'), table_name='product', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_product_sku'), table_name='product', postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.drop_index(op.f('ix_product_id_publisher'), table_name='product')
    op.drop_index(op.f('ix_product_id_author'), table_name='product')
    op.drop_table('product')
    op.drop_index(op.f('ix_bundle_slug'), table_name='bundle', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_bundle_sku'), table_name='bundle', postgresql_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'), sqlite_where=sa.text('sku IS NOT NULL AND deleted_at IS NULL'))
    op.drop_index(op.f('ix_bundle_id_author'), table_name='bundle')
    if _is_postgres():
        op.drop_index('bundle_name_trgm', table_name='bundle', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_table('bundle')
    op.drop_index(op.f('ix_author_follow_id_author'), table_name='author_follow')
    op.drop_table('author_follow')
    op.drop_index('ix_publisher_lower_name', table_name='publisher')
    op.drop_index(op.f('ix_publisher_id_user'), table_name='publisher', postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.drop_table('publisher')
    op.drop_index('ix_notif_id_user_unread', table_name='notif', postgresql_where=sa.text("status = 'unread'"), sqlite_where=sa.text("status = 'unread'"))
    op.drop_index('ix_notif_id_user_id_desc', table_name='notif')
    op.drop_table('notif')
    op.drop_index(op.f('ix_landing_items_id_landing_landing_items_idx'), table_name='landing_items')
    op.drop_table('landing_items')
    op.drop_table('internal')
    op.drop_index('ix_customer_lower_email', table_name='customer', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_customer_id_user'), table_name='customer', postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.drop_table('customer')
    op.drop_index(op.f('ix_author_id_user'), table_name='author', postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.drop_table('author')
    op.drop_index(op.f('ix_auth_verification_purpose_auth_verification_identifier'), table_name='auth_verification')
    op.drop_index(op.f('ix_auth_verification_id_user'), table_name='auth_verification')
    op.drop_table('auth_verification')
    op.drop_table('auth_two_factor')
    op.drop_index(op.f('ix_auth_session_id_user_auth_session_revoked_at'), table_name='auth_session')
    op.drop_index(op.f('ix_auth_session_family_id'), table_name='auth_session')
    op.drop_table('auth_session')
    op.drop_table('auth_account')
    op.drop_index(op.f('ix_audit_log_id_user_audit_log_created_at'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_entity_audit_log_entity_id'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_affiliate_id_user'), table_name='affiliate', postgresql_where=sa.text('id_user IS NOT NULL'), sqlite_where=sa.text('id_user IS NOT NULL'))
    op.drop_table('affiliate')
    op.drop_index(op.f('ix_tags_slug'), table_name='tags', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_tags_id_parent'), table_name='tags')
    op.drop_table('tags')
    op.drop_index('uq_midtrx_notification', table_name='midtrx', postgresql_where=sa.text("type = 'notification'"), sqlite_where=sa.text("type = 'notification'"))
    op.drop_index(op.f('ix_midtrx_order_id'), table_name='midtrx')
    op.drop_table('midtrx')
    op.drop_index(op.f('ix_mail_outbox_status_mail_outbox_next_attempt_at'), table_name='mail_outbox')
    op.drop_index(op.f('ix_mail_outbox_dedupe_key'), table_name='mail_outbox', postgresql_where=sa.text('dedupe_key IS NOT NULL'), sqlite_where=sa.text('dedupe_key IS NOT NULL'))
    op.drop_table('mail_outbox')
    op.drop_index(op.f('ix_landing_slug'), table_name='landing', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_table('landing')
    op.drop_index(op.f('ix_idempotency_key_expires_at'), table_name='idempotency_key')
    op.drop_table('idempotency_key')
    op.drop_index(op.f('ix_genre_slug'), table_name='genre', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_genre_id_parent'), table_name='genre')
    op.drop_table('genre')
    op.drop_table('cfg')
    op.drop_index(op.f('ix_category_slug'), table_name='category', postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_category_id_parent'), table_name='category')
    op.drop_table('category')
    op.drop_index(op.f('ix_banner_title'), table_name='banner')
    op.drop_table('banner')
    op.drop_index('ix_auth_user_lower_username', table_name='auth_user', postgresql_where=sa.text('username IS NOT NULL'), sqlite_where=sa.text('username IS NOT NULL'))
    op.drop_index('ix_auth_user_lower_email', table_name='auth_user')
    op.drop_table('auth_user')
    op.drop_index(op.f('ix_auth_rate_limit_expires_at'), table_name='auth_rate_limit')
    op.drop_table('auth_rate_limit')
