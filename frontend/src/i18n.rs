//! Chinese (default) and English. Every text a person reads goes through [`t`].
//! Server messages come as "中文 / English"; [`pick`] shows the half for the language.

use gloo_storage::Storage;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "dudao.lang";

impl Lang {
    pub fn load() -> Lang {
        match gloo_storage::LocalStorage::raw()
            .get_item(STORAGE_KEY)
            .ok()
            .flatten()
            .as_deref()
        {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    pub fn save(self) {
        let _ = gloo_storage::LocalStorage::raw()
            .set_item(STORAGE_KEY, if self == Lang::En { "en" } else { "zh" });
        if let Some(doc) = web_sys::window().and_then(|w| w.document())
            && let Some(el) = doc.document_element()
        {
            let _ = el.set_attribute("lang", if self == Lang::En { "en" } else { "zh-CN" });
        }
    }
}

pub fn lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// The text for `key` in the current language (reactive when called inside a closure).
pub fn t(key: &'static str) -> &'static str {
    let l = lang().get();
    let (zh, en) = entry(key);
    if l == Lang::En { en } else { zh }
}

/// Picks one half of a bilingual "中文 / English" message.
pub fn pick(message: &str) -> String {
    match message.split_once(" / ") {
        Some((zh, en)) => if lang().get() == Lang::En { en } else { zh }.to_owned(),
        None => message.to_owned(),
    }
}

fn entry(key: &'static str) -> (&'static str, &'static str) {
    match key {
        "app" => ("督导", "Dudao"),
        "tagline" => ("销售督导平台", "Sales supervision"),
        "login.title" => ("登录", "Sign in"),
        "login.email" => ("邮箱", "Email"),
        "login.password" => ("密码", "Password"),
        "login.submit" => ("登录", "Sign in"),
        "login.busy" => ("正在登录…", "Signing in…"),
        "login.demo" => (
            "演示账号密码均为 dudao-demo",
            "Demo accounts use the password dudao-demo",
        ),
        "logout" => ("退出", "Sign out"),
        "nav.home" => ("概览", "Overview"),
        "nav.scorecard" => ("业绩记分卡", "Scorecard"),
        "nav.orders" => ("订单", "Orders"),
        "nav.alerts" => ("预警", "Alerts"),
        "nav.import" => ("导入", "Import"),
        "export.csv" => ("导出 CSV", "Export CSV"),
        "export.xlsx" => ("导出 Excel", "Export Excel"),
        "import.kind" => ("数据类型", "What"),
        "import.customers" => ("客户", "Customers"),
        "import.orders" => ("订单", "Orders"),
        "import.payments" => ("回款", "Payments"),
        "import.opportunities" => ("商机", "Opportunities"),
        "import.targets" => ("目标", "Targets"),
        "import.columns" => (
            "第一行为表头，列（* 为必填）：",
            "Line 1 is the header; columns (* required):",
        ),
        "import.file" => ("文件（CSV 或 XLSX）", "File (CSV or XLSX)"),
        "import.rule" => (
            "整个文件校验通过才会导入；有任何错误行则一行都不写入，并列出每个错误。",
            "The file is imported only if every row is valid; otherwise nothing is written and every bad row is listed.",
        ),
        "import.submit" => ("上传并导入", "Upload and import"),
        "import.busy" => ("正在导入…", "Importing…"),
        "import.done" => ("导入完成", "Imported"),
        "import.rejected" => ("文件未导入", "Nothing was imported"),
        "import.badRows" => ("行有错误", "rows have errors"),
        "import.line" => ("行号", "Line"),
        "import.reason" => ("原因", "Reason"),
        "sc.nps" => ("净推荐值 NPS", "NPS"),
        "sc.cycle" => ("销售周期（中位数）", "Sales cycle (median)"),
        "sc.days" => ("天", "days"),
        "sc.heatmap" => ("区域达成率热力图", "Attainment by region and period"),
        "alert.TARGET_SHORTFALL" => ("目标缺口", "Target shortfall"),
        "alert.CHURN_RISK" => ("流失风险", "Churn risk"),
        "alert.LOW_SATISFACTION" => ("满意度低", "Low satisfaction"),
        "alert.OVERDUE_PAYMENT" => ("回款逾期", "Overdue payment"),
        "alert.OPEN" => ("待处理", "Open"),
        "alert.ACKNOWLEDGED" => ("已确认", "Acknowledged"),
        "alert.RESOLVED" => ("已解决", "Resolved"),
        "alert.all" => ("全部", "All"),
        "alert.rule" => ("预警类型", "Rule"),
        "alert.allRules" => ("全部类型", "All rules"),
        "alert.mine" => ("只看派给我的", "Routed to me"),
        "alert.records" => ("查看明细", "See the records"),
        "alert.acknowledge" => ("确认", "Acknowledge"),
        "alert.resolve" => ("解决", "Resolve"),
        "alert.reopen" => ("重新打开", "Reopen"),
        "alert.confirmResolve" => ("标记为已解决", "Mark resolved"),
        "alert.notePlaceholder" => ("处理说明（可选）", "What was done (optional)"),
        "alert.acknowledgedBy" => ("确认人", "Acknowledged by"),
        "alert.resolvedBy" => ("解决人", "Resolved by"),
        "col.date" => ("日期", "Date"),
        "col.amount" => ("金额", "Amount"),
        "col.customer" => ("客户", "Customer"),
        "col.rep" => ("销售代表", "Rep"),
        "orders.from" => ("从", "From"),
        "orders.to" => ("至", "To"),
        "orders.cancelled" => ("含已取消", "Include cancelled"),
        "orders.sum" => ("本页合计", "Page total"),
        "status.CONFIRMED" => ("已确认", "Confirmed"),
        "status.CANCELLED" => ("已取消", "Cancelled"),
        "sc.rankRegions" => ("区域排名", "Regions ranked"),
        "sc.rankReps" => ("销售代表排名", "Reps ranked"),
        "sc.funnel" => (
            "销售漏斗（本期新建机会）",
            "Pipeline funnel (opportunities created in the period)",
        ),
        "stage.LEAD" => ("线索", "Lead"),
        "stage.CONTACTED" => ("已接触", "Contacted"),
        "stage.NEEDS_ANALYSIS" => ("需求分析", "Needs analysis"),
        "stage.PROPOSAL" => ("方案报价", "Proposal"),
        "stage.NEGOTIATION" => ("商务谈判", "Negotiation"),
        "stage.WON" => ("赢单", "Won"),
        "sc.toNext" => ("进入下一阶段", "to next stage"),
        "sc.drill" => ("查看订单 →", "See the orders →"),
        "sc.company" => ("全公司", "Company"),
        "sc.scope" => ("范围", "Scope"),
        "sc.period" => ("期间", "Period"),
        "sc.month" => ("月度", "Month"),
        "sc.quarter" => ("季度", "Quarter"),
        "sc.year" => ("年度", "Year"),
        "sc.sales" => ("销售额", "Sales"),
        "sc.target" => ("销售目标", "Target"),
        "sc.attainment" => ("目标达成率", "Attainment"),
        "sc.orders" => ("订单数", "Orders"),
        "sc.aov" => ("客单价", "Avg. order value"),
        "sc.collection" => ("回款率", "Collection rate"),
        "sc.newCustomers" => ("新客户", "New customers"),
        "sc.growth" => ("客户增长率", "Customer growth"),
        "sc.winRate" => ("赢单率", "Win rate"),
        "sc.satisfaction" => ("客户满意度", "Satisfaction"),
        "sc.noTarget" => ("未设目标", "no target"),
        "sc.trend" => ("销售额与目标趋势", "Sales against target"),
        "sc.legendSales" => ("销售额", "Sales"),
        "sc.legendTarget" => ("目标", "Target"),
        "sc.ownScorecard" => ("我的业绩", "My scorecard"),
        "nav.regions" => ("区域", "Regions"),
        "nav.reps" => ("销售代表", "Reps"),
        "nav.customers" => ("客户", "Customers"),
        "nav.users" => ("用户", "Users"),
        "nav.me" => ("我的档案", "My profile"),
        "role.ADMIN" => ("系统管理员", "Administrator"),
        "role.DIRECTOR" => ("销售总监", "Sales director"),
        "role.SUPERVISOR" => ("督导", "Supervisor"),
        "role.REP" => ("销售代表", "Sales rep"),
        "status.ACTIVE" => ("在职", "Active"),
        "status.ON_LEAVE" => ("休假", "On leave"),
        "status.LEFT" => ("已离职", "Left"),
        "home.welcome" => ("欢迎回来", "Welcome back"),
        "home.scope" => ("你可以查看的范围", "What you can see"),
        "home.assigned" => ("负责区域", "Assigned regions"),
        "col.name" => ("名称", "Name"),
        "col.person" => ("姓名", "Name"),
        "col.code" => ("编码", "Code"),
        "col.parent" => ("上级区域", "Parent"),
        "col.region" => ("区域", "Region"),
        "col.supervisor" => ("督导", "Supervisor"),
        "col.level" => ("级别", "Level"),
        "col.status" => ("状态", "Status"),
        "col.hired" => ("入职日期", "Hired"),
        "col.customers" => ("客户数", "Customers"),
        "col.industry" => ("行业", "Industry"),
        "col.city" => ("城市", "City"),
        "col.owner" => ("负责人", "Owner"),
        "col.email" => ("邮箱", "Email"),
        "col.role" => ("角色", "Role"),
        "col.active" => ("启用", "Active"),
        "col.regions" => ("区域", "Regions"),
        "col.phone" => ("电话", "Phone"),
        "col.title" => ("职务", "Title"),
        "col.address" => ("地址", "Address"),
        "col.updated" => ("更新时间", "Updated"),
        "filter.search" => ("搜索…", "Search…"),
        "filter.allRegions" => ("全部区域", "All regions"),
        "filter.allStatus" => ("全部状态", "All statuses"),
        "filter.allRoles" => ("全部角色", "All roles"),
        "filter.allIndustries" => ("全部行业", "All industries"),
        "filter.clear" => ("清除筛选", "Clear filters"),
        "page.prev" => ("上一页", "Previous"),
        "page.next" => ("下一页", "Next"),
        "page.of" => ("共", "of"),
        "page.rows" => ("条", "rows"),
        "loading" => ("加载中…", "Loading…"),
        "empty" => ("没有符合条件的记录", "Nothing matches"),
        "empty.hint" => (
            "试试调整或清除筛选条件",
            "Try changing or clearing the filters",
        ),
        "error" => ("出错了", "Something went wrong"),
        "retry" => ("重试", "Retry"),
        "back" => ("返回", "Back"),
        "yes" => ("是", "yes"),
        "no" => ("否", "no"),
        "rep.profile" => ("销售代表档案", "Rep profile"),
        "rep.customers" => ("负责的客户", "Customers"),
        "customer.contacts" => ("联系人", "Contacts"),
        "customer.decision" => ("决策人", "Decision maker"),
        "customer.noContacts" => ("暂无联系人", "No contacts yet"),
        "customer.edit" => ("编辑", "Edit"),
        "customer.new" => ("新建客户", "New customer"),
        "save" => ("保存", "Save"),
        "saving" => ("保存中…", "Saving…"),
        "saved" => ("已保存", "Saved"),
        "cancel" => ("取消", "Cancel"),
        "notfound" => ("页面不存在", "Page not found"),
        "forbidden" => ("你无权查看此内容", "You may not see this"),
        "lang.switch" => ("English", "中文"),
        "user.new" => ("新建用户", "New user"),
        "user.edit" => ("编辑用户", "Edit user"),
        "user.newPassword" => (
            "新密码（留空则不修改）",
            "New password (leave empty to keep)",
        ),
        "region.new" => ("新建区域", "New region"),
        "region.edit" => ("编辑区域", "Edit region"),
        "rep.edit" => ("编辑档案", "Edit profile"),
        "none" => ("无", "None"),
        _ => (key, key),
    }
}
