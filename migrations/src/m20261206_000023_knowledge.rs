//! The knowledge base (知识库) and its contributions (金点子):
//!
//! - `articles`: title, Markdown body, category, objection scenario, tags (a JSON array,
//!   the article's own copy; `article_tags` is the one filters read), author, a version for
//!   concurrent edits, `archived`, and the counters of views and helpful / not helpful
//!   votes. `updated_at` is indexed: every server's search index follows the table by it
//!   (`service::search`), so a write on one server is found through every other;
//! - `article_versions`: every saved version (who, when, why) for the history, the diff and
//!   restoring;
//! - `article_tags`: one row per tag of an article;
//! - `article_views`: one row per article, person and day (a refresh is not a view), the
//!   usage a region's figures are set beside;
//! - `article_votes`: one vote per article and person, helpful or not;
//! - `contributions`: a proposal (new article, edit, idea), its decision with the reason,
//!   who and when, and the reward an adoption earned.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    Title,
    Body,
    Category,
    Scenario,
    Tags,
    AuthorId,
    Version,
    Archived,
    Views,
    Helpful,
    NotHelpful,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ArticleVersions {
    Table,
    ArticleId,
    Version,
    Title,
    Body,
    Category,
    Scenario,
    Tags,
    EditorId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ArticleTags {
    Table,
    ArticleId,
    Tag,
}

#[derive(DeriveIden)]
enum ArticleViews {
    Table,
    ArticleId,
    UserId,
    Day,
}

#[derive(DeriveIden)]
enum ArticleVotes {
    Table,
    ArticleId,
    UserId,
    Helpful,
    VotedAt,
}

#[derive(DeriveIden)]
enum Contributions {
    Table,
    Id,
    Kind,
    Status,
    Title,
    Body,
    Category,
    Scenario,
    Tags,
    ArticleId,
    BaseVersion,
    AuthorId,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    Reason,
    RewardPoints,
    Version,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table).if_not_exists();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Articles::Table)
                .if_not_exists()
                .col(pk_auto(Articles::Id))
                .col(string_len(Articles::Title, 200))
                .col(text(Articles::Body))
                .col(string_len(Articles::Category, 16))
                .col(string_len_null(Articles::Scenario, 32))
                .col(text(Articles::Tags))
                .col(integer_null(Articles::AuthorId))
                .col(integer(Articles::Version).default(1))
                .col(boolean(Articles::Archived).default(false))
                .col(big_integer(Articles::Views).default(0))
                .col(integer(Articles::Helpful).default(0))
                .col(integer(Articles::NotHelpful).default(0))
                .col(timestamp_with_time_zone(Articles::CreatedAt))
                .col(timestamp_with_time_zone(Articles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Articles::Table, Articles::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_articles_updated",
            Articles::Table,
            &["updated_at", "id"],
        ))
        .await?;
        m.create_index(index(
            "idx_articles_helpful",
            Articles::Table,
            &["helpful", "id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(ArticleVersions::Table)
                .if_not_exists()
                .col(integer(ArticleVersions::ArticleId))
                .col(integer(ArticleVersions::Version))
                .col(string_len(ArticleVersions::Title, 200))
                .col(text(ArticleVersions::Body))
                .col(string_len(ArticleVersions::Category, 16))
                .col(string_len_null(ArticleVersions::Scenario, 32))
                .col(text(ArticleVersions::Tags))
                .col(integer_null(ArticleVersions::EditorId))
                .col(text_null(ArticleVersions::Note))
                .col(timestamp_with_time_zone(ArticleVersions::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(ArticleVersions::ArticleId)
                        .col(ArticleVersions::Version),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ArticleVersions::Table, ArticleVersions::ArticleId)
                        .to(Articles::Table, Articles::Id),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ArticleTags::Table)
                .if_not_exists()
                .col(integer(ArticleTags::ArticleId))
                .col(string_len(ArticleTags::Tag, 60))
                .primary_key(
                    Index::create()
                        .col(ArticleTags::ArticleId)
                        .col(ArticleTags::Tag),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_article_tags_tag",
            ArticleTags::Table,
            &["tag", "article_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(ArticleViews::Table)
                .if_not_exists()
                .col(integer(ArticleViews::ArticleId))
                .col(integer(ArticleViews::UserId))
                .col(date(ArticleViews::Day))
                .primary_key(
                    Index::create()
                        .col(ArticleViews::ArticleId)
                        .col(ArticleViews::UserId)
                        .col(ArticleViews::Day),
                )
                .take(),
        )
        .await?;
        // The usage report: a period's views per person.
        m.create_index(index(
            "idx_article_views_day",
            ArticleViews::Table,
            &["day", "user_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(ArticleVotes::Table)
                .if_not_exists()
                .col(integer(ArticleVotes::ArticleId))
                .col(integer(ArticleVotes::UserId))
                .col(boolean(ArticleVotes::Helpful))
                .col(timestamp_with_time_zone(ArticleVotes::VotedAt))
                .primary_key(
                    Index::create()
                        .col(ArticleVotes::ArticleId)
                        .col(ArticleVotes::UserId),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_article_votes_time",
            ArticleVotes::Table,
            &["voted_at", "user_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Contributions::Table)
                .if_not_exists()
                .col(pk_auto(Contributions::Id))
                .col(string_len(Contributions::Kind, 16))
                .col(string_len(Contributions::Status, 16))
                .col(string_len(Contributions::Title, 200))
                .col(text(Contributions::Body))
                .col(string_len_null(Contributions::Category, 16))
                .col(string_len_null(Contributions::Scenario, 32))
                .col(text(Contributions::Tags))
                .col(integer_null(Contributions::ArticleId))
                .col(integer_null(Contributions::BaseVersion))
                .col(integer(Contributions::AuthorId))
                .col(timestamp_with_time_zone(Contributions::CreatedAt))
                .col(integer_null(Contributions::DecidedBy))
                .col(timestamp_with_time_zone_null(Contributions::DecidedAt))
                .col(text_null(Contributions::Reason))
                .col(integer_null(Contributions::RewardPoints))
                .col(integer(Contributions::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Contributions::Table, Contributions::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_contributions_author",
            Contributions::Table,
            &["author_id", "id"],
        ))
        .await?;
        m.create_index(index(
            "idx_contributions_status",
            Contributions::Table,
            &["status", "id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "contributions",
            "article_votes",
            "article_views",
            "article_tags",
            "article_versions",
            "articles",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
