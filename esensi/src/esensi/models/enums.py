"""Closed vocabularies (spec/models.md section 9): each is a StrEnum and a named CHECK."""

from __future__ import annotations

import enum


class BookStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ApprovalStatus(enum.StrEnum):
    """book_approval.status: one row per review event."""

    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    REVISE = "revise"
    UNPUBLISHED = "unpublished"


class ContentType(enum.StrEnum):
    EBOOK = "ebook"
    AUDIO = "audio"
    COMIC = "comic"


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"
    DISCONTINUED = "discontinued"


class BundleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"


class ChapterStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SalesStatus(enum.StrEnum):
    CART = "cart"
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    DENIED = "denied"
    FAILED = "failed"
    REFUNDED = "refunded"


class FraudStatus(enum.StrEnum):
    ACCEPT = "accept"
    CHALLENGE = "challenge"
    DENY = "deny"


class PromoStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class DiscountType(enum.StrEnum):
    PERCENTAGE = "percentage"
    FIXED = "fixed"


class MidtransEventType(enum.StrEnum):
    NOTIFICATION = "notification"
    STATUS = "status"
    SNAP = "snap"
    ADMIN = "admin"


class MidtransOutcome(enum.StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    REJECTED = "rejected"
    ERROR = "error"


class LedgerType(enum.StrEnum):
    SALE = "sale"
    REFUND = "refund"
    WITHDRAWAL = "withdrawal"
    WITHDRAWAL_REVERSAL = "withdrawal_reversal"
    ADJUSTMENT = "adjustment"


class WithdrawalStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class LinkStatus(enum.StrEnum):
    """publisher_author.status."""

    INVITED = "invited"
    ACTIVE = "active"
    DECLINED = "declined"


class NotifStatus(enum.StrEnum):
    UNREAD = "unread"
    READ = "read"


class NotifType(enum.StrEnum):
    """rlib's base types plus the ones esensi adds (book-submit onwards)."""

    MESSAGE = "message"
    ORDER_UPDATE = "order-update"
    PAYMENT_SUCCESS = "payment-success"
    BOOK_APPROVE = "book-approve"
    BOOK_REJECT = "book-reject"
    COMMENT = "comment"
    LIKE = "like"
    FOLLOW = "follow"
    ANNOUNCEMENT = "announcement"
    BOOK_SUBMIT = "book-submit"
    BOOK_REVISE = "book-revise"
    CHAPTER_NEW = "chapter-new"
    WITHDRAWAL_UPDATE = "withdrawal-update"


class BannerStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class LandingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class MailContext(enum.StrEnum):
    MAIN = "main"
    CHAPTER = "chapter"
    PUBLISH = "publish"
    INTERNAL = "internal"
    AUTH = "auth"


class AuthProvider(enum.StrEnum):
    CREDENTIAL = "credential"
    GOOGLE = "google"


class VerificationPurpose(enum.StrEnum):
    EMAIL_VERIFICATION = "email_verification"
    PASSWORD_RESET = "password_reset"
    EMAIL_OTP = "email_otp"
    CHANGE_EMAIL = "change_email"
    TWO_FACTOR_OTP = "two_factor_otp"
    DELETE_ACCOUNT = "delete_account"
    HANDOFF = "handoff"
    OAUTH_STATE = "oauth_state"


class Locale(enum.StrEnum):
    ID = "id"
    EN = "en"


class IdempotencyStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ActorType(enum.StrEnum):
    """audit_log.actor_type: the five user types plus machine actors."""

    INTERNAL = "internal"
    AUTHOR = "author"
    PUBLISHER = "publisher"
    CUSTOMER = "customer"
    AFFILIATE = "affiliate"
    SYSTEM = "system"
    GATEWAY = "gateway"
