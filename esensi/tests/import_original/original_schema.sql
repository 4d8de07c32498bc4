-- The original esensi schema (reference/original-schema.prisma) on PostgreSQL.
-- Transcribed model by model: Prisma's defaults are PostgreSQL's (text, timestamp(3),
-- jsonb, decimal(65,30)); constraint names follow the schema's map: names.
-- Foreign keys come after every table so the order of creation does not matter.

CREATE TABLE "affiliate" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "id_account" uuid,
  "id_user" uuid,
  CONSTRAINT "affiliate_pkey" PRIMARY KEY (id)
);

CREATE TABLE "auth_account" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "password" text,
  "id_provider" varchar,
  "access_token" text,
  "refresh_token" text,
  "id_token" text,
  "access_token_expires_at" timestamp(3),
  "refresh_token_expires_at" timestamp(3),
  "scope" text,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "updated_at" timestamp(3),
  "id_user" uuid,
  "id_account" varchar,
  CONSTRAINT "m_user_id" PRIMARY KEY (id)
);

CREATE TABLE "auth_session" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "expires_at" timestamp(3) NOT NULL,
  "token" text NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "updated_at" timestamp(3),
  "ip_address" text,
  "user_agent" text,
  "id_user" uuid NOT NULL,
  CONSTRAINT "session_pkey" PRIMARY KEY (id)
);

CREATE TABLE "auth_two_factor" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "secret" text,
  "backup_codes" text,
  "id_user" uuid NOT NULL,
  CONSTRAINT "two_factor_pkey" PRIMARY KEY (id)
);

CREATE TABLE "auth_user" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar NOT NULL,
  "email" varchar NOT NULL,
  "email_verified" boolean NOT NULL DEFAULT false,
  "image" text,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "updated_at" timestamp(3),
  "username" text,
  "display_username" text,
  "two_factor_enabled" boolean,
  "id_customer" uuid,
  "id_author" uuid,
  "id_affiliate" uuid,
  "id_publisher" uuid,
  "id_internal" uuid,
  CONSTRAINT "user_info_pkey" PRIMARY KEY (id)
);

CREATE TABLE "auth_verification" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "identifier" text NOT NULL,
  "value" text NOT NULL,
  "expires_at" timestamp(3) NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "updated_at" timestamp(3),
  CONSTRAINT "verification_pkey" PRIMARY KEY (id)
);

CREATE TABLE "author" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "id_account" uuid,
  "biography" text,
  "social_media" varchar,
  "avatar" varchar,
  "id_user" uuid,
  "cfg" jsonb,
  "bank_account_number" varchar,
  "bank_account_provider" varchar,
  CONSTRAINT "author_id" PRIMARY KEY (id)
);

CREATE TABLE "banner" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "title" text NOT NULL,
  "banner_file" text NOT NULL DEFAULT '[]',
  "status" varchar DEFAULT 'ON',
  "deleted_at" timestamp(3),
  "link" text,
  CONSTRAINT "banner_id" PRIMARY KEY (id)
);

CREATE TABLE "book" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "slug" text NOT NULL,
  "alias" text NOT NULL DEFAULT '',
  "submitted_price" decimal(18, 2) NOT NULL,
  "desc" text NOT NULL DEFAULT '',
  "info" jsonb DEFAULT '{}',
  "status" varchar(10) NOT NULL DEFAULT 'draft',
  "currency" varchar(3) NOT NULL DEFAULT 'Rp.',
  "deleted_at" timestamp(3),
  "img_file" text NOT NULL DEFAULT '',
  "cover" text NOT NULL DEFAULT '',
  "product_file" text NOT NULL DEFAULT '[]',
  "sku" text NOT NULL DEFAULT '',
  "id_author" uuid,
  "published_date" timestamp(3) NOT NULL DEFAULT now(),
  "is_physical" boolean NOT NULL DEFAULT false,
  "preorder_min_qty" integer,
  "content_type" varchar(20),
  "is_chapter" boolean NOT NULL DEFAULT false,
  "id_product" uuid,
  "created_at" timestamptz(6) NOT NULL DEFAULT now(),
  "cfg" jsonb,
  CONSTRAINT "book_id" PRIMARY KEY (id)
);

CREATE TABLE "book_approval" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_book" uuid NOT NULL,
  "id_internal" uuid,
  "comment" text,
  "status" varchar(20) NOT NULL DEFAULT 'submitted',
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  CONSTRAINT "book_approval_pkey" PRIMARY KEY (id)
);

CREATE TABLE "book_changes_log" (
  "id_book" uuid NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "changes" jsonb,
  CONSTRAINT "book_changes_log_pk" PRIMARY KEY (id_book, created_at)
);

CREATE TABLE "book_genre" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_genre" uuid NOT NULL,
  "id_book" uuid NOT NULL,
  CONSTRAINT "book_genre_id" PRIMARY KEY (id)
);

CREATE TABLE "book_tags" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_tags" uuid NOT NULL,
  "id_book" uuid NOT NULL,
  CONSTRAINT "book_tags_id" PRIMARY KEY (id)
);

CREATE TABLE "bundle" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "slug" text NOT NULL,
  "strike_price" decimal(18, 2),
  "real_price" decimal(18, 2) NOT NULL,
  "currency" varchar(3) NOT NULL DEFAULT 'Rp.',
  "desc" text NOT NULL DEFAULT '',
  "info" jsonb NOT NULL DEFAULT '{}',
  "deleted_at" timestamp(3),
  "status" varchar(10) NOT NULL DEFAULT 'draft',
  "img_file" text NOT NULL DEFAULT '[]',
  "cover" text NOT NULL DEFAULT '',
  "sku" text NOT NULL DEFAULT '',
  "cfg" jsonb,
  "id_author" uuid,
  "created_at" timestamp(3) DEFAULT now(),
  CONSTRAINT "bundle_id" PRIMARY KEY (id)
);

CREATE TABLE "bundle_category" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_category" uuid NOT NULL,
  "id_bundle" uuid NOT NULL,
  CONSTRAINT "bundle_category_id" PRIMARY KEY (id)
);

CREATE TABLE "bundle_product" (
  "id_bundle" uuid NOT NULL,
  "id_product" uuid NOT NULL,
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "qty" smallint DEFAULT 1,
  CONSTRAINT "bundle_product_id" PRIMARY KEY (id)
);

CREATE TABLE "category" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "id_parent" uuid,
  "deleted_at" timestamp(3),
  "slug" text,
  "img" text,
  CONSTRAINT "category_id" PRIMARY KEY (id)
);

CREATE TABLE "cfg" (
  "key" varchar NOT NULL,
  "value" varchar NOT NULL,
  CONSTRAINT "cfg_pkey" PRIMARY KEY (key)
);

CREATE TABLE "chapter" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_product" uuid,
  "id_book" uuid,
  "number" integer NOT NULL,
  "name" text NOT NULL,
  "content" jsonb NOT NULL DEFAULT '{"blocks": []}',
  "created_at" timestamptz(6) NOT NULL DEFAULT now(),
  "updated_at" timestamptz(6),
  CONSTRAINT "chapter_id" PRIMARY KEY (id)
);

CREATE TABLE "customer" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "whatsapp" text NOT NULL,
  "deleted_at" timestamp(3),
  "otp" smallint,
  "id_account" uuid,
  "name" text NOT NULL,
  "email" text NOT NULL,
  "id_user" uuid,
  CONSTRAINT "customer_id" PRIMARY KEY (id)
);

CREATE TABLE "customer_reader" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_customer" uuid NOT NULL,
  "id_product" uuid NOT NULL,
  "last_page" integer NOT NULL,
  "percent" smallint NOT NULL,
  CONSTRAINT "customer_reader_pkey" PRIMARY KEY (id)
);

CREATE TABLE "customer_track" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "ts" timestamp(3) NOT NULL DEFAULT now(),
  "id_customer" uuid NOT NULL,
  "path" text NOT NULL,
  "referrer" text NOT NULL,
  "info" jsonb NOT NULL,
  "ip" varchar(40) NOT NULL,
  CONSTRAINT "customer_track_id" PRIMARY KEY (id)
);

CREATE TABLE "genre" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "id_parent" uuid,
  "slug" text,
  "img" text,
  "deleted_at" timestamp(3),
  CONSTRAINT "genre_id" PRIMARY KEY (id)
);

CREATE TABLE "internal" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_account" uuid,
  "name" text NOT NULL,
  "is_sales_and_marketing" boolean NOT NULL DEFAULT false,
  "is_support" boolean NOT NULL DEFAULT false,
  "is_management" boolean NOT NULL DEFAULT false,
  "is_it" boolean NOT NULL DEFAULT false,
  "id_user" uuid,
  CONSTRAINT "internal_pkey" PRIMARY KEY (id)
);

CREATE TABLE "landing" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "slug" text NOT NULL,
  "views" integer NOT NULL,
  "deleted_at" timestamp(3),
  "status" text NOT NULL DEFAULT 'published',
  "title" text NOT NULL DEFAULT '',
  CONSTRAINT "landing_page_id" PRIMARY KEY (id)
);

CREATE TABLE "landing_items" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "desc" text NOT NULL DEFAULT '',
  "img_file" text NOT NULL,
  "tag" text NOT NULL DEFAULT 'h1',
  "link_to" text NOT NULL,
  "landing_id" uuid NOT NULL,
  "idx" smallint NOT NULL DEFAULT 1,
  "color" text NOT NULL DEFAULT '#ffffff',
  CONSTRAINT "landing_items_id" PRIMARY KEY (id)
);

CREATE TABLE "midtrx" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "tz" timestamptz(6) NOT NULL DEFAULT now(),
  "type" text NOT NULL,
  "payload" jsonb NOT NULL,
  CONSTRAINT "midtrx_id" PRIMARY KEY (id)
);

CREATE TABLE "notif" (
  "id_user" uuid NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "message" varchar NOT NULL,
  "type" varchar NOT NULL,
  "status" varchar NOT NULL,
  "url" varchar,
  "data" jsonb,
  "thumbnail" varchar,
  CONSTRAINT "notif_pk" PRIMARY KEY (id_user, created_at)
);

CREATE TABLE "preorder" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_product" uuid NOT NULL,
  "min_qty" integer NOT NULL,
  "current_qty" integer NOT NULL DEFAULT 0,
  "status" varchar(10) NOT NULL DEFAULT 'open',
  "deadline" timestamp(3) NOT NULL,
  CONSTRAINT "preorder_pkey" PRIMARY KEY (id)
);

CREATE TABLE "product" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "slug" text NOT NULL,
  "alias" text NOT NULL DEFAULT '',
  "strike_price" decimal(18, 2),
  "real_price" decimal(18, 2) NOT NULL,
  "desc" text NOT NULL DEFAULT '',
  "info" jsonb DEFAULT '{}',
  "status" varchar(10) NOT NULL DEFAULT 'draft',
  "currency" varchar(3) NOT NULL DEFAULT 'Rp.',
  "deleted_at" timestamp(3),
  "img_file" text NOT NULL DEFAULT '',
  "cover" text NOT NULL DEFAULT '',
  "product_file" text NOT NULL DEFAULT '[]',
  "sku" text NOT NULL DEFAULT '',
  "id_author" uuid,
  "published_date" timestamp(3) NOT NULL DEFAULT now(),
  "is_physical" boolean NOT NULL DEFAULT false,
  "preorder_min_qty" integer,
  "content_type" varchar(20),
  "is_chapter" boolean NOT NULL DEFAULT false,
  CONSTRAINT "product_id" PRIMARY KEY (id)
);

CREATE TABLE "product_category" (
  "id_product" uuid NOT NULL,
  "id_category" uuid NOT NULL,
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  CONSTRAINT "product_category_id" PRIMARY KEY (id)
);

CREATE TABLE "promo_code" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "code" text NOT NULL,
  "discount_type" varchar(10) NOT NULL,
  "discount_value" decimal(18, 2) NOT NULL,
  "valid_from" timestamp(3) NOT NULL,
  "valid_to" timestamp(3) NOT NULL,
  "usage_limit" integer NOT NULL,
  "used_count" integer NOT NULL DEFAULT 0,
  "status" varchar(10) NOT NULL DEFAULT 'active',
  "id_publisher" uuid NOT NULL,
  CONSTRAINT "promo_code_pkey" PRIMARY KEY (id)
);

CREATE TABLE "publisher" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_account" uuid,
  "name" text NOT NULL,
  "description" text,
  "website" varchar,
  "address" text,
  "logo" text,
  "id_user" uuid,
  CONSTRAINT "publisher_pkey" PRIMARY KEY (id)
);

CREATE TABLE "publisher_author" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "publisher_id" uuid NOT NULL,
  "author_id" uuid NOT NULL,
  CONSTRAINT "publisher_author_pkey" PRIMARY KEY (id),
  CONSTRAINT "publisher_author_publisher_id_author_id_key" UNIQUE (publisher_id, author_id)
);

CREATE TABLE "ranking" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_book" uuid NOT NULL,
  CONSTRAINT "ranking_id" PRIMARY KEY (id)
);

CREATE TABLE "reviews" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_book" uuid NOT NULL,
  "comments" text NOT NULL,
  "rating" decimal,
  "created_at" timestamp(3) NOT NULL,
  "deleted_at" timestamp(3),
  "parent" uuid,
  "id_user" uuid NOT NULL,
  CONSTRAINT "reviews_id" PRIMARY KEY (id)
);

CREATE TABLE "reviews_likes" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_reviews" uuid NOT NULL,
  "id_user" uuid NOT NULL,
  CONSTRAINT "reviews_likes_id" PRIMARY KEY (id)
);

CREATE TABLE "t_ai_credit" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_publisher" uuid NOT NULL,
  "balance" integer NOT NULL DEFAULT 0,
  "last_topup_at" timestamp(3),
  CONSTRAINT "t_ai_credit_pkey" PRIMARY KEY (id)
);

CREATE TABLE "t_ai_credit_topup" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_t_ai_credit" uuid NOT NULL,
  "amount" integer NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "status" varchar(10) NOT NULL DEFAULT 'pending',
  CONSTRAINT "t_ai_credit_topup_pkey" PRIMARY KEY (id)
);

CREATE TABLE "t_sales" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_customer" uuid NOT NULL,
  "status" varchar(10) NOT NULL DEFAULT 'cart',
  "total" decimal(18, 2) NOT NULL,
  "currency" varchar(3) NOT NULL DEFAULT 'Rp.',
  "info" jsonb NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "updated_at" timestamp(3),
  "deleted_at" timestamp(3),
  "midtrans_order_id" text NOT NULL DEFAULT '',
  "midtrans_success" jsonb,
  "midtrans_pending" jsonb,
  "midtrans_error" jsonb,
  CONSTRAINT "sales_id" PRIMARY KEY (id)
);

CREATE TABLE "t_sales_download" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_product" uuid NOT NULL,
  "id_customer" uuid NOT NULL,
  "downloaded_at" timestamp(3),
  "ip_address" text,
  "download_key" text NOT NULL DEFAULT '',
  CONSTRAINT "t_sales_product_id" PRIMARY KEY (id)
);

CREATE TABLE "t_sales_line" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_sales" uuid NOT NULL,
  "unit_price" decimal(18, 2) NOT NULL,
  "qty" integer NOT NULL,
  "total_price" decimal(18, 2) NOT NULL,
  "id_product" uuid,
  "id_bundle" uuid,
  CONSTRAINT "sales_line_id" PRIMARY KEY (id)
);

CREATE TABLE "tags" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "id_parent" uuid,
  "deleted_at" timestamp(3),
  "slug" text,
  "img" text,
  CONSTRAINT "tags_id" PRIMARY KEY (id)
);

CREATE TABLE "transaction" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_publisher" uuid NOT NULL,
  "type" varchar(20) NOT NULL,
  "amount" decimal(18, 2) NOT NULL,
  "created_at" timestamp(3) NOT NULL DEFAULT now(),
  "info" jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT "transaction_pkey" PRIMARY KEY (id)
);

CREATE TABLE "withdrawal" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "id_publisher" uuid NOT NULL,
  "amount" decimal(18, 2) NOT NULL,
  "status" varchar(10) NOT NULL DEFAULT 'pending',
  "requested_at" timestamp(3) NOT NULL DEFAULT now(),
  "processed_at" timestamp(3),
  CONSTRAINT "withdrawal_pkey" PRIMARY KEY (id)
);

CREATE UNIQUE INDEX "session_token_key" ON "auth_session" (token);
CREATE UNIQUE INDEX "user_info_email_key" ON "auth_user" (email);
CREATE INDEX "fki_customer_track_fk_id_customer" ON "customer_track" (id_customer);
CREATE UNIQUE INDEX "promo_code_code_key" ON "promo_code" (code);

ALTER TABLE "affiliate" ADD CONSTRAINT "affiliate_fk_id_account" FOREIGN KEY (id_account) REFERENCES "auth_account" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "auth_account" ADD CONSTRAINT "user_fk_id_user_info" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_session" ADD CONSTRAINT "session_user_info_id_fkey" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_two_factor" ADD CONSTRAINT "two_factor_user_info_id_fkey" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_user" ADD CONSTRAINT "user_id_affiliate_fkey" FOREIGN KEY (id_affiliate) REFERENCES "affiliate" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_user" ADD CONSTRAINT "user_id_author_fkey" FOREIGN KEY (id_author) REFERENCES "author" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_user" ADD CONSTRAINT "user_id_customer_fkey" FOREIGN KEY (id_customer) REFERENCES "customer" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_user" ADD CONSTRAINT "user_id_internal_fkey" FOREIGN KEY (id_internal) REFERENCES "internal" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "auth_user" ADD CONSTRAINT "user_id_publisher_fkey" FOREIGN KEY (id_publisher) REFERENCES "publisher" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "author" ADD CONSTRAINT "author_fk_id_account" FOREIGN KEY (id_account) REFERENCES "auth_account" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "book" ADD CONSTRAINT "book_fk_id_author" FOREIGN KEY (id_author) REFERENCES "author" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "book" ADD CONSTRAINT "book_fk_id_product" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "book_approval" ADD CONSTRAINT "book_approval_fk_id_book" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "book_approval" ADD CONSTRAINT "book_approval_fk_id_internal" FOREIGN KEY (id_internal) REFERENCES "internal" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "book_changes_log" ADD CONSTRAINT "book_changes_log_fk_id_book" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "book_genre" ADD CONSTRAINT "book_genre_id_book_fkey" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "book_genre" ADD CONSTRAINT "book_genre_id_genre_fkey" FOREIGN KEY (id_genre) REFERENCES "genre" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "book_tags" ADD CONSTRAINT "book_tags_id_book_fkey" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "book_tags" ADD CONSTRAINT "book_tags_id_tags_fkey" FOREIGN KEY (id_tags) REFERENCES "tags" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "bundle" ADD CONSTRAINT "bundle_fk_id_author" FOREIGN KEY (id_author) REFERENCES "author" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "bundle_category" ADD CONSTRAINT "bundle_category_id_bundle_fkey" FOREIGN KEY (id_bundle) REFERENCES "bundle" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "bundle_category" ADD CONSTRAINT "bundle_category_id_category_fkey" FOREIGN KEY (id_category) REFERENCES "category" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "bundle_product" ADD CONSTRAINT "bundle_product_id_bundle_fkey" FOREIGN KEY (id_bundle) REFERENCES "bundle" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "bundle_product" ADD CONSTRAINT "bundle_product_id_product_fkey" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "category" ADD CONSTRAINT "category_id_parent_fkey" FOREIGN KEY (id_parent) REFERENCES "category" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "chapter" ADD CONSTRAINT "chapter_fk_id_book" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "chapter" ADD CONSTRAINT "chapter_fk_id_product" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "customer" ADD CONSTRAINT "customer_fk_id_account" FOREIGN KEY (id_account) REFERENCES "auth_account" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "customer_reader" ADD CONSTRAINT "customer_reader_fk_id_customer" FOREIGN KEY (id_customer) REFERENCES "customer" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "customer_reader" ADD CONSTRAINT "customer_reader_fk_id_product" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "customer_track" ADD CONSTRAINT "customer_track_fk_id_customer" FOREIGN KEY (id_customer) REFERENCES "customer" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "genre" ADD CONSTRAINT "genre_id_parent_fkey" FOREIGN KEY (id_parent) REFERENCES "genre" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "internal" ADD CONSTRAINT "internal_fk_id_account" FOREIGN KEY (id_account) REFERENCES "auth_account" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "landing_items" ADD CONSTRAINT "landing_items_landing_id_fkey" FOREIGN KEY (landing_id) REFERENCES "landing" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "notif" ADD CONSTRAINT "notif_fk_id_user" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "preorder" ADD CONSTRAINT "preorder_id_product_fkey" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "product" ADD CONSTRAINT "product_id_author_fkey" FOREIGN KEY (id_author) REFERENCES "author" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "product_category" ADD CONSTRAINT "product_category_id_category_fkey" FOREIGN KEY (id_category) REFERENCES "category" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "product_category" ADD CONSTRAINT "product_category_id_product_fkey" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "promo_code" ADD CONSTRAINT "promo_code_id_publisher_fkey" FOREIGN KEY (id_publisher) REFERENCES "publisher" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "publisher" ADD CONSTRAINT "publisher_fk_id_account" FOREIGN KEY (id_account) REFERENCES "auth_account" (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "publisher_author" ADD CONSTRAINT "publisher_author_author_id_fkey" FOREIGN KEY (author_id) REFERENCES "author" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "publisher_author" ADD CONSTRAINT "publisher_author_publisher_id_fkey" FOREIGN KEY (publisher_id) REFERENCES "publisher" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ranking" ADD CONSTRAINT "ranking_id_book_fkey" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_id_book_fkey" FOREIGN KEY (id_book) REFERENCES "book" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_id_user_fkey" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "reviews_likes" ADD CONSTRAINT "reviews_likes_id_reviews_fkey" FOREIGN KEY (id_reviews) REFERENCES "reviews" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "reviews_likes" ADD CONSTRAINT "reviews_likes_id_user_fkey" FOREIGN KEY (id_user) REFERENCES "auth_user" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "t_ai_credit" ADD CONSTRAINT "t_ai_credit_id_publisher_fkey" FOREIGN KEY (id_publisher) REFERENCES "publisher" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "t_ai_credit_topup" ADD CONSTRAINT "t_ai_credit_topup_id_t_ai_credit_fkey" FOREIGN KEY (id_t_ai_credit) REFERENCES "t_ai_credit" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "t_sales" ADD CONSTRAINT "t_sales_id_customer_fkey" FOREIGN KEY (id_customer) REFERENCES "customer" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "t_sales_download" ADD CONSTRAINT "t_sales_download_id_customer_fkey" FOREIGN KEY (id_customer) REFERENCES "customer" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "t_sales_download" ADD CONSTRAINT "t_sales_download_id_product_fkey" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "t_sales_line" ADD CONSTRAINT "t_sales_line_id_bundle_fkey" FOREIGN KEY (id_bundle) REFERENCES "bundle" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "t_sales_line" ADD CONSTRAINT "t_sales_line_id_product_fkey" FOREIGN KEY (id_product) REFERENCES "product" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "t_sales_line" ADD CONSTRAINT "t_sales_line_id_sales_fkey" FOREIGN KEY (id_sales) REFERENCES "t_sales" (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "tags" ADD CONSTRAINT "tags_id_parent_fkey" FOREIGN KEY (id_parent) REFERENCES "tags" (id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE "transaction" ADD CONSTRAINT "transaction_id_publisher_fkey" FOREIGN KEY (id_publisher) REFERENCES "publisher" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "withdrawal" ADD CONSTRAINT "withdrawal_id_publisher_fkey" FOREIGN KEY (id_publisher) REFERENCES "publisher" (id) ON DELETE RESTRICT ON UPDATE CASCADE;
