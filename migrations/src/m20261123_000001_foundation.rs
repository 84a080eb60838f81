//! The foundation: people, territories, accounts, credentials and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    Code,
    NameZh,
    NameEn,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Id,
    Name,
    Code,
    ParentId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupervisorRegions {
    Table,
    SupervisorId,
    RegionId,
}

#[derive(DeriveIden)]
enum Reps {
    Table,
    Id,
    UserId,
    Name,
    Phone,
    Level,
    HireDate,
    RegionId,
    SupervisorId,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Name,
    OwnerRepId,
    Industry,
    City,
    Address,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CustomerContacts {
    Table,
    Id,
    CustomerId,
    Name,
    Title,
    Phone,
    Email,
    IsDecisionMaker,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    TokenHash,
    Scopes,
    RegionIds,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    FamilyId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    Email,
    Address,
    Succeeded,
    At,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorUserId,
    Action,
    Entity,
    EntityId,
    Before,
    After,
    At,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .take()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table).if_not_exists();
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    stmt.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Roles::Table)
                .if_not_exists()
                .col(string_len(Roles::Code, 20).primary_key())
                .col(string(Roles::NameZh))
                .col(string(Roles::NameEn))
                .take(),
        )
        .await?;
        let insert_roles = Query::insert()
            .into_table(Roles::Table)
            .columns([Roles::Code, Roles::NameZh, Roles::NameEn])
            .values_panic(["ADMIN".into(), "系统管理员".into(), "Administrator".into()])
            .values_panic([
                "DIRECTOR".into(),
                "销售总监".into(),
                "Sales director".into(),
            ])
            .values_panic(["SUPERVISOR".into(), "督导".into(), "Supervisor".into()])
            .values_panic(["REP".into(), "销售代表".into(), "Sales rep".into()])
            .take();
        m.exec_stmt(insert_roles).await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk_auto(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string_len(Users::Name, 100))
                .col(string_len(Users::Role, 20))
                .col(string(Users::PasswordHash))
                .col(boolean(Users::Active).default(true))
                .col(integer(Users::Version).default(1))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(&mut fk(
                    Users::Table,
                    Users::Role,
                    Roles::Table,
                    Roles::Code,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Regions::Table)
                .if_not_exists()
                .col(pk_auto(Regions::Id))
                .col(string_len_uniq(Regions::Name, 100))
                .col(string_len_uniq(Regions::Code, 40))
                .col(integer_null(Regions::ParentId))
                .col(integer(Regions::Version).default(1))
                .col(timestamp_with_time_zone(Regions::CreatedAt))
                .col(timestamp_with_time_zone(Regions::UpdatedAt))
                .foreign_key(&mut fk(
                    Regions::Table,
                    Regions::ParentId,
                    Regions::Table,
                    Regions::Id,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SupervisorRegions::Table)
                .if_not_exists()
                .col(integer(SupervisorRegions::SupervisorId))
                .col(integer(SupervisorRegions::RegionId))
                .primary_key(
                    Index::create()
                        .col(SupervisorRegions::SupervisorId)
                        .col(SupervisorRegions::RegionId),
                )
                .foreign_key(&mut fk(
                    SupervisorRegions::Table,
                    SupervisorRegions::SupervisorId,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    SupervisorRegions::Table,
                    SupervisorRegions::RegionId,
                    Regions::Table,
                    Regions::Id,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_supervisor_regions_region",
            SupervisorRegions::Table,
            &["region_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Reps::Table)
                .if_not_exists()
                .col(pk_auto(Reps::Id))
                .col(integer_null(Reps::UserId).unique_key())
                .col(string_len(Reps::Name, 100))
                .col(string_len_null(Reps::Phone, 40))
                .col(integer(Reps::Level).default(1))
                .col(date(Reps::HireDate))
                .col(integer(Reps::RegionId))
                .col(integer_null(Reps::SupervisorId))
                .col(string_len(Reps::Status, 20).default("ACTIVE"))
                .col(integer(Reps::Version).default(1))
                .col(timestamp_with_time_zone(Reps::CreatedAt))
                .col(timestamp_with_time_zone(Reps::UpdatedAt))
                .foreign_key(&mut fk(
                    Reps::Table,
                    Reps::UserId,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    Reps::Table,
                    Reps::RegionId,
                    Regions::Table,
                    Regions::Id,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    Reps::Table,
                    Reps::SupervisorId,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_reps_region",
            Reps::Table,
            &["region_id", "name"],
        ))
        .await?;
        m.create_index(index(
            "idx_reps_supervisor",
            Reps::Table,
            &["supervisor_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Customers::Table)
                .if_not_exists()
                .col(pk_auto(Customers::Id))
                .col(string_len(Customers::Name, 200))
                .col(integer(Customers::OwnerRepId))
                .col(string_len(Customers::Industry, 60))
                .col(string_len_null(Customers::City, 60))
                .col(string_len_null(Customers::Address, 300))
                .col(integer(Customers::Version).default(1))
                .col(timestamp_with_time_zone(Customers::CreatedAt))
                .col(timestamp_with_time_zone(Customers::UpdatedAt))
                .foreign_key(&mut fk(
                    Customers::Table,
                    Customers::OwnerRepId,
                    Reps::Table,
                    Reps::Id,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_customers_owner",
            Customers::Table,
            &["owner_rep_id", "name"],
        ))
        .await?;
        m.create_index(index("idx_customers_name", Customers::Table, &["name"]))
            .await?;

        m.create_table(
            Table::create()
                .table(CustomerContacts::Table)
                .if_not_exists()
                .col(pk_auto(CustomerContacts::Id))
                .col(integer(CustomerContacts::CustomerId))
                .col(string_len(CustomerContacts::Name, 100))
                .col(string_len_null(CustomerContacts::Title, 100))
                .col(string_len_null(CustomerContacts::Phone, 40))
                .col(string_len_null(CustomerContacts::Email, 254))
                .col(boolean(CustomerContacts::IsDecisionMaker).default(false))
                .foreign_key(&mut fk(
                    CustomerContacts::Table,
                    CustomerContacts::CustomerId,
                    Customers::Table,
                    Customers::Id,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_contacts_customer",
            CustomerContacts::Table,
            &["customer_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .if_not_exists()
                .col(pk_auto(ApiTokens::Id))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len_uniq(ApiTokens::TokenHash, 64))
                .col(text(ApiTokens::Scopes))
                .col(text_null(ApiTokens::RegionIds))
                .col(integer(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .foreign_key(&mut fk(
                    ApiTokens::Table,
                    ApiTokens::CreatedBy,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .if_not_exists()
                .col(pk_auto(RefreshTokens::Id))
                .col(integer(RefreshTokens::UserId))
                .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                .col(string_len(RefreshTokens::FamilyId, 64))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .foreign_key(&mut fk(
                    RefreshTokens::Table,
                    RefreshTokens::UserId,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_refresh_tokens_family",
            RefreshTokens::Table,
            &["family_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(LoginAttempts::Table)
                .if_not_exists()
                .col(big_pk_auto(LoginAttempts::Id))
                .col(string_len(LoginAttempts::Email, 254))
                .col(string_len(LoginAttempts::Address, 64))
                .col(boolean(LoginAttempts::Succeeded))
                .col(timestamp_with_time_zone(LoginAttempts::At))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_login_attempts_email",
            LoginAttempts::Table,
            &["email", "at"],
        ))
        .await?;
        m.create_index(index(
            "idx_login_attempts_address",
            LoginAttempts::Table,
            &["address", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(big_pk_auto(AuditLog::Id))
                .col(integer_null(AuditLog::ActorUserId))
                .col(string_len(AuditLog::Action, 40))
                .col(string_len(AuditLog::Entity, 40))
                .col(integer(AuditLog::EntityId))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .col(timestamp_with_time_zone(AuditLog::At))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_audit_log_entity",
            AuditLog::Table,
            &["entity", "entity_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .if_not_exists()
                .col(string_len(Settings::Key, 100).primary_key())
                .col(text(Settings::Value))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Settings::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            CustomerContacts::Table.into_iden(),
            Customers::Table.into_iden(),
            Reps::Table.into_iden(),
            SupervisorRegions::Table.into_iden(),
            Regions::Table.into_iden(),
            Users::Table.into_iden(),
            Roles::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
