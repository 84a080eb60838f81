//! Demo review meetings and a handover: every region reviewed last quarter (a root cause
//! with its 5-Why chain, SMART actions — some done, some still open) and last month (the
//! quarter's open actions carried over); one rep who left, their customers handed over to
//! a colleague three weeks ago, through the service (the same writes as the API).

use chrono::{Duration, Utc};
use dudao_domain::coaching::ActionStatus;
use dudao_domain::{Period, PeriodKind, Role, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{Stored, action_item, region, rep, review_meeting, root_cause, user};
use crate::error::AppError;

const PROBLEMS: [(&str, [&str; 5], &str); 2] = [
    (
        "尾款逾期增多，回款节奏不稳",
        [
            "三家大客户的尾款逾期超过 60 天",
            "合同里没有写明验收后的付款节点",
            "代表签约时没有和财务确认付款条件",
            "签约审批清单里没有付款条件这一项",
            "审批清单两年没有按新的回款政策更新",
        ],
        "签约审批清单缺少付款条件检查",
    ),
    (
        "新客户开发落后于目标",
        [
            "线索转化为首次拜访的比例下降",
            "代表把时间都花在老客户的续约上",
            "续约季集中在同一个月",
            "",
            "",
        ],
        "续约集中，拓新时间被挤占",
    ),
];

const ACTIONS: [(&str, &str); 3] = [
    (
        "更新签约审批清单，加入付款条件检查",
        "清单上线，所有新合同 100% 使用",
    ),
    ("逐一跟进三家逾期客户的尾款", "逾期 60 天以上的应收款降为 0"),
    ("每位代表每周安排两个拓新拜访", "每人每周新客户拜访 ≥ 2 次"),
];

pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let today = crate::clock::today();
    let now = Utc::now();
    let Some(director) = user::Entity::find()
        .filter(user::Column::Role.eq(Stored(Role::Director)))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let quarter = Period::containing(PeriodKind::Quarter, today).previous();
    let month = Period::containing(PeriodKind::Month, today).previous();
    let txn = crate::db::write_txn(db).await?;
    for g in region::Entity::find()
        .order_by_asc(region::Column::Id)
        .all(&txn)
        .await?
    {
        let reps = rep::Entity::find()
            .filter(rep::Column::RegionId.eq(g.id))
            .order_by_asc(rep::Column::Id)
            .all(&txn)
            .await?;
        let supervisor = reps
            .iter()
            .find_map(|r| r.supervisor_id)
            .unwrap_or(director.id);
        let meeting =
            |p: Period, held: chrono::NaiveDate, summary: &str| review_meeting::ActiveModel {
                region_id: Set(g.id),
                period_kind: Set(Stored(p.kind)),
                period_start: Set(p.start()),
                held_on: Set(held),
                summary: Set(Some(summary.to_owned())),
                created_by: Set(supervisor),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
        let q = meeting(
            quarter,
            quarter.end() + Duration::days(6),
            "季度复盘：回款和拓新是两个短板，先解决回款流程",
        )
        .insert(&txn)
        .await?;
        meeting(
            month,
            month.end() + Duration::days(3),
            "月度复盘：跟进上季度的行动项，拓新有起色",
        )
        .insert(&txn)
        .await?;
        for (problem, whys, cause) in PROBLEMS {
            let chain: Vec<&str> = whys.iter().copied().filter(|w| !w.is_empty()).collect();
            root_cause::ActiveModel {
                meeting_id: Set(q.id),
                problem: Set(problem.into()),
                whys: Set(serde_json::to_string(&chain).unwrap_or_else(|_| "[]".into())),
                root_cause: Set(Some(cause.into())),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        for (k, (title, measure)) in ACTIONS.iter().enumerate() {
            let owner = match k {
                0 => supervisor,
                _ => reps.get(k).and_then(|r| r.user_id).unwrap_or(supervisor),
            };
            let rep_id = reps.iter().find(|r| r.user_id == Some(owner)).map(|r| r.id);
            // The first is done; the others still open, one of them overdue.
            let (status, due) = match k {
                0 => (ActionStatus::Done, quarter.end() + Duration::days(30)),
                1 => (ActionStatus::Open, today - Duration::days(5)),
                _ => (ActionStatus::Open, today + Duration::days(20)),
            };
            action_item::ActiveModel {
                review_meeting_id: Set(Some(q.id)),
                rep_id: Set(rep_id),
                owner_id: Set(owner),
                title: Set((*title).into()),
                measure: Set(Some((*measure).into())),
                due_on: Set(Some(due)),
                status: Set(Stored(status)),
                done_at: Set((status == ActionStatus::Done).then_some(now - Duration::days(10))),
                created_by: Set(Some(supervisor)),
                created_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    // One rep left: an on-leave rep outside 华东, their customers handed to a colleague.
    let leaving = rep::Entity::find()
        .filter(rep::Column::Status.eq(Stored(dudao_domain::RepStatus::OnLeave)))
        .order_by_desc(rep::Column::Id)
        .one(db)
        .await?;
    if let Some(from) = leaving {
        let to = rep::Entity::find()
            .filter(rep::Column::RegionId.eq(from.region_id))
            .filter(rep::Column::Status.eq(Stored(dudao_domain::RepStatus::Active)))
            .order_by_asc(rep::Column::Id)
            .one(db)
            .await?;
        if let Some(to) = to {
            let viewer = Viewer {
                user_id: director.id,
                role: Role::Director,
            };
            crate::service::handovers::hand_over(
                db,
                &viewer,
                crate::service::handovers::Handover {
                    from_rep: from.id,
                    to_rep: to.id,
                    customers: Vec::new(),
                    handed_on: today - Duration::days(21),
                    notes: Some(
                        "离职交接：重点客户已电话介绍新负责人，合同和报价都在客户档案里".into(),
                    ),
                    ride_along: true,
                },
            )
            .await
            .map_err(AppError::into_anyhow)?;
            rep::Entity::update_many()
                .col_expr(
                    rep::Column::Status,
                    Expr::value(Stored(dudao_domain::RepStatus::Left)),
                )
                .filter(rep::Column::Id.eq(from.id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}
