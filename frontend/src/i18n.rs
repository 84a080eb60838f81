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

/// A text of a page module's own table (sorted by key, as [`TEXTS`]): pages loaded
/// lazily keep their texts in their module instead of the first load.
pub fn t_of(
    table: &'static [(&'static str, &'static str, &'static str)],
    key: &'static str,
) -> &'static str {
    let l = lang().get();
    table
        .binary_search_by(|(k, _, _)| k.cmp(&key))
        .ok()
        .and_then(|i| table.get(i))
        .map_or(key, |(_, zh, en)| if l == Lang::En { en } else { zh })
}

/// Picks one half of a bilingual "中文 / English" message.
pub fn pick(message: &str) -> String {
    match message.split_once(" / ") {
        Some((zh, en)) => if lang().get() == Lang::En { en } else { zh }.to_owned(),
        None => message.to_owned(),
    }
}

/// Every text of the app: key, Chinese, English; sorted by key (a unit test checks) so
/// that a lookup is a binary search over data rather than a match compiled to code.
static TEXTS: &[(&str, &str, &str)] = &[
    ("act.CALL", "电话", "Call"),
    ("act.VISIT", "拜访", "Visit"),
    ("act.allComplaints", "全部投诉", "All complaints"),
    ("act.allKinds", "全部类型", "All types"),
    ("act.calls", "电话", "Calls"),
    ("act.complaints", "客户投诉", "Complaints"),
    ("act.completeness", "记录完整率", "Record completeness"),
    ("act.compliance", "拜访达标率", "Visit compliance"),
    ("act.confirmResolve", "确认解决", "Resolve"),
    ("act.date", "日期", "Date"),
    ("act.findCustomer", "查找客户", "Find a customer"),
    ("act.hours", "小时", "h"),
    (
        "act.incompleteOnly",
        "仅看记录不完整",
        "Incomplete records only",
    ),
    ("act.kind", "类型", "Type"),
    ("act.log", "记录拜访/电话", "Log a visit or call"),
    ("act.missing", "未填写", "missing"),
    ("act.newComplaint", "登记投诉", "Record a complaint"),
    ("act.nextStep", "下一步", "Next step"),
    ("act.open", "处理中", "Open"),
    ("act.openComplaints", "未解决投诉", "Open complaints"),
    ("act.outcome", "结果", "Outcome"),
    ("act.perWeek", "标准：每周拜访", "Standard: visits a week"),
    ("act.process", "过程指标", "Process"),
    (
        "act.resolution",
        "处理结果（必填）",
        "What was done (required)",
    ),
    ("act.resolve", "解决", "Resolve"),
    ("act.resolved", "已解决", "Resolved"),
    ("act.responseTime", "投诉平均响应", "Complaint response"),
    ("act.status", "状态", "Status"),
    ("act.subject", "投诉内容", "Complaint"),
    ("act.visits", "拜访与电话", "Visits and calls"),
    ("act.visitsDone", "拜访 / 应拜访", "Visits / required"),
    ("alert.ACKNOWLEDGED", "已确认", "Acknowledged"),
    ("alert.CHURN_RISK", "流失风险", "Churn risk"),
    ("alert.EVALUATIONS_DUE", "评估待完成", "Evaluations due"),
    (
        "alert.EVALUATION_INPUT_DUE",
        "360° 评价待答复",
        "360° input due",
    ),
    ("alert.LOW_SATISFACTION", "满意度低", "Low satisfaction"),
    ("alert.OPEN", "待处理", "Open"),
    (
        "alert.OVERDUE_ACTIONS",
        "行动项逾期",
        "Overdue action items",
    ),
    ("alert.OVERDUE_PAYMENT", "回款逾期", "Overdue payment"),
    ("alert.RESOLVED", "已解决", "Resolved"),
    ("alert.TARGET_SHORTFALL", "目标缺口", "Target shortfall"),
    ("alert.acknowledge", "确认", "Acknowledge"),
    ("alert.acknowledgedBy", "确认人", "Acknowledged by"),
    ("alert.all", "全部", "All"),
    ("alert.allRules", "全部类型", "All rules"),
    ("alert.atRisk", "风险金额", "At risk"),
    ("alert.confirmResolve", "标记为已解决", "Mark resolved"),
    ("alert.digestOpen", "待处理", "Open"),
    ("alert.digestRaised", "今日新增", "New today"),
    ("alert.digestResolved", "今日解决", "Resolved today"),
    ("alert.mine", "只看派给我的", "Routed to me"),
    (
        "alert.notePlaceholder",
        "处理说明（可选）",
        "What was done (optional)",
    ),
    ("alert.records", "查看明细", "See the records"),
    ("alert.reopen", "重新打开", "Reopen"),
    ("alert.resolve", "解决", "Resolve"),
    ("alert.resolvedBy", "解决人", "Resolved by"),
    ("alert.rule", "预警类型", "Rule"),
    ("alert.sortRaised", "最新在前", "Newest first"),
    ("alert.sortRisk", "风险金额从高到低", "Most at risk first"),
    ("app", "督导", "Dudao"),
    ("back", "返回", "Back"),
    ("cancel", "取消", "Cancel"),
    ("co.CALL_REVIEW", "录音复盘", "Call review"),
    ("co.ONE_ON_ONE", "一对一辅导", "One-on-one"),
    ("co.RIDE_ALONG", "陪访", "Ride-along"),
    ("co.ROLE_PLAY", "角色演练", "Role play"),
    ("co.actionItem", "行动项", "Action item"),
    ("co.actions", "行动项", "Action items"),
    ("co.allTypes", "全部类型", "All types"),
    ("co.awaiting", "待代表确认", "Awaiting the rep"),
    ("co.coach", "辅导人", "Coach"),
    ("co.comment", "我的回复", "My reply"),
    ("co.confirm", "确认下一步", "Confirm the next step"),
    ("co.confirmed", "已确认", "Confirmed"),
    ("co.confirmedAt", "代表已确认于", "Confirmed by the rep on"),
    ("co.daysAgo", "天前", "days ago"),
    ("co.discard", "放弃", "Discard"),
    ("co.due", "截止", "Due"),
    ("co.edit", "补充记录", "Fill in"),
    ("co.feedback", "反馈", "Feedback"),
    ("co.growth", "成长档案", "Growth record"),
    (
        "co.kept",
        "已保存在本机，网络恢复后自动发送。",
        "Saved on this device; it will be sent when the network is back.",
    ),
    ("co.lastMonth", "上月", "Last month"),
    ("co.lastSession", "最近一次", "Last session"),
    ("co.links", "录音与附件", "Recordings and files"),
    ("co.load", "辅导覆盖", "Coaching load"),
    ("co.log", "记录辅导", "Log coaching"),
    ("co.mean", "平均分", "Mean"),
    ("co.milestones", "里程碑", "Milestones"),
    (
        "co.more",
        "更多（观察、反馈、行动项）",
        "More (observation, feedback, action item)",
    ),
    (
        "co.ms.BIG_ORDER",
        "首笔百万订单",
        "First order of ¥1,000,000",
    ),
    ("co.ms.FIRST_ORDER", "首笔订单", "First order"),
    ("co.ms.FIRST_RIDE_ALONG", "首次陪访", "First ride-along"),
    ("co.ms.FIRST_SESSION", "首次辅导", "First coaching session"),
    ("co.never", "从未辅导", "Never coached"),
    ("co.new", "记录辅导", "Log coaching"),
    ("co.nextStep", "确认的下一步", "Agreed next step"),
    ("co.noActions", "没有未完成的行动项", "No open action items"),
    ("co.noMilestones", "还没有里程碑", "No milestones yet"),
    ("co.noScores", "还没有评分", "No scores yet"),
    ("co.none", "还没有辅导记录", "No coaching sessions yet"),
    (
        "co.noneHint",
        "陪访或一对一辅导后，在这里记录观察、反馈和下一步。",
        "After a ride-along or a one-on-one, log what you saw, said and agreed here.",
    ),
    ("co.notCoached", "30 天未辅导", "Not coached in 30 days"),
    (
        "co.notCoachedSummary",
        "位代表 30 天内未辅导",
        "reps not coached in the last 30 days",
    ),
    ("co.observation", "观察", "Observation"),
    ("co.open", "项未完成", "open"),
    ("co.openItems", "未完成行动项", "Open action items"),
    ("co.other", "其他", "Other"),
    ("co.overdue", "逾期", "overdue"),
    ("co.pickRep", "请选择代表", "Choose a rep"),
    ("co.repComment", "代表回复", "Rep's reply"),
    ("co.scores", "评分（1–5）", "Scores (1–5)"),
    ("co.sendComment", "发送回复", "Send reply"),
    ("co.sendNow", "立即重试", "Retry now"),
    ("co.sessions", "辅导记录", "Sessions"),
    ("co.thisMonth", "本月", "This month"),
    ("co.today", "今天", "today"),
    ("co.type", "类型", "Type"),
    ("co.unconfirmed", "待确认", "Not confirmed"),
    (
        "co.waiting",
        "等待发送（已保存在本机）",
        "Waiting to send (kept on this device)",
    ),
    ("co.waitingOne", "等待网络", "Waiting for the network"),
    ("col.active", "启用", "Active"),
    ("col.address", "地址", "Address"),
    ("col.amount", "金额", "Amount"),
    ("col.city", "城市", "City"),
    ("col.code", "编码", "Code"),
    ("col.customer", "客户", "Customer"),
    ("col.customers", "客户数", "Customers"),
    ("col.date", "日期", "Date"),
    ("col.email", "邮箱", "Email"),
    ("col.employeeNo", "工号", "Employee no."),
    ("col.externalCode", "客户编号（ERP）", "Customer no. (ERP)"),
    ("col.hired", "入职日期", "Hired"),
    ("col.industry", "行业", "Industry"),
    ("col.level", "级别", "Level"),
    ("col.name", "名称", "Name"),
    ("col.owner", "负责人", "Owner"),
    ("col.parent", "上级区域", "Parent"),
    ("col.person", "姓名", "Name"),
    ("col.phone", "电话", "Phone"),
    ("col.region", "区域", "Region"),
    ("col.regions", "区域", "Regions"),
    ("col.rep", "销售代表", "Rep"),
    ("col.role", "角色", "Role"),
    ("col.status", "状态", "Status"),
    ("col.supervisor", "督导", "Supervisor"),
    ("col.title", "职务", "Title"),
    ("col.updated", "更新时间", "Updated"),
    ("cust.COMPLAINTS", "未解决投诉", "Open complaints"),
    ("cust.DECISION_CHAIN", "决策链稳定", "Decision chain"),
    (
        "cust.FREQUENCY",
        "采购频次（按分层）",
        "Frequency for its tier",
    ),
    ("cust.RECENCY", "最近下单", "Recency"),
    ("cust.SATISFACTION", "满意度", "Satisfaction"),
    ("cust.allTiers", "全部分层", "All tiers"),
    ("cust.asOf", "截至", "As of"),
    (
        "cust.chainChanged",
        "决策链变动日期",
        "Decision chain changed on",
    ),
    ("cust.churn", "流失预警", "Churn risk"),
    ("cust.churnOnly", "仅看流失预警", "Churn risk only"),
    ("cust.health", "健康度", "Health"),
    ("cust.healthTitle", "客户健康度", "Customer health"),
    ("cust.lastOrder", "最近下单", "last order"),
    ("cust.orders12", "订单", "orders"),
    ("cust.sales12", "近 12 个月销售", "Sales, last 12 months"),
    ("cust.tier", "分层", "Tier"),
    ("cust.tierA", "A 类（重点）", "A (key accounts)"),
    ("cust.tierB", "B 类", "B"),
    ("cust.tierC", "C 类", "C"),
    ("cust.weakOnly", "健康度低于 50", "Health below 50"),
    ("customer.contacts", "联系人", "Contacts"),
    ("customer.decision", "决策人", "Decision maker"),
    ("customer.edit", "编辑", "Edit"),
    ("customer.new", "新建客户", "New customer"),
    ("customer.noContacts", "暂无联系人", "No contacts yet"),
    ("empty", "没有符合条件的记录", "Nothing matches"),
    (
        "empty.hint",
        "试试调整或清除筛选条件",
        "Try changing or clearing the filters",
    ),
    ("error", "出错了", "Something went wrong"),
    ("export.csv", "导出 CSV", "Export CSV"),
    ("export.xlsx", "导出 Excel", "Export Excel"),
    ("filter.active", "当前筛选", "Active filters"),
    ("filter.allIndustries", "全部行业", "All industries"),
    ("filter.allRegions", "全部区域", "All regions"),
    ("filter.allRoles", "全部角色", "All roles"),
    ("filter.allStatus", "全部状态", "All statuses"),
    ("filter.clear", "清除筛选", "Clear filters"),
    ("filter.remove", "移除此筛选", "Remove this filter"),
    ("filter.search", "搜索…", "Search…"),
    ("forbidden", "你无权查看此内容", "You may not see this"),
    ("home.afterVisit", "刚拜访完客户？", "Just left a customer?"),
    ("home.alerts", "待处理预警", "Open alerts"),
    (
        "home.alertsMine",
        "派给我的待处理预警",
        "Open alerts routed to me",
    ),
    (
        "home.allOnCourse",
        "全部按进度达成，没有落后。",
        "Everyone is on course; nobody is behind.",
    ),
    ("home.assigned", "负责区域", "Assigned regions"),
    ("home.atRisk", "涉及金额", "At risk"),
    ("home.behind", "明显落后于时间进度。", "Well behind time."),
    (
        "home.close",
        "略落后于时间进度，仍可追上。",
        "A little behind time; still within reach.",
    ),
    ("home.logVisit", "记录拜访", "Log a visit"),
    ("home.newToday", "今日新增", "New today"),
    (
        "home.noScope",
        "尚未分配区域或销售代表档案，请联系管理员。",
        "No region or rep record is assigned to you yet; ask an administrator.",
    ),
    (
        "home.onCourse",
        "按当前进度可完成目标。",
        "On course to meet the target.",
    ),
    ("home.openInbox", "处理预警 →", "Work through them →"),
    ("home.openScorecard", "打开记分卡 →", "Open the scorecard →"),
    (
        "home.repsAttention",
        "本周需要关注的销售代表",
        "Reps who need attention this week",
    ),
    ("home.resolvedToday", "今日解决", "Resolved today"),
    ("home.scope", "你可以查看的范围", "What you can see"),
    (
        "home.weakestRegions",
        "进度最落后的区域",
        "Regions furthest behind",
    ),
    ("home.welcome", "欢迎回来", "Welcome back"),
    ("import.badRows", "行有错误", "rows have errors"),
    ("import.busy", "正在导入…", "Importing…"),
    (
        "import.columns",
        "第一行为表头，列（* 为必填）：",
        "Line 1 is the header; columns (* required):",
    ),
    ("import.customers", "客户", "Customers"),
    ("import.done", "导入完成", "Imported"),
    ("import.file", "文件（CSV 或 XLSX）", "File (CSV or XLSX)"),
    (
        "import.headersHint",
        "表头可用中文、英文或代码；日期可写 2026-11-30、2026/11/30 或 Excel 日期；金额可带 ¥ 和千分位。",
        "Headers may be Chinese, English or the codes; dates as 2026-11-30, 2026/11/30 or Excel dates; amounts may carry ¥ and separators.",
    ),
    ("import.kind", "数据类型", "What"),
    ("import.line", "行号", "Line"),
    ("import.opportunities", "商机", "Opportunities"),
    ("import.orders", "订单", "Orders"),
    ("import.payments", "回款", "Payments"),
    ("import.reason", "原因", "Reason"),
    ("import.rejected", "文件未导入", "Nothing was imported"),
    (
        "import.rule",
        "整个文件校验通过才会导入；有任何错误行则一行都不写入，并列出每个错误。",
        "The file is imported only if every row is valid; otherwise nothing is written and every bad row is listed.",
    ),
    ("import.submit", "上传并导入", "Upload and import"),
    ("import.surveys", "满意度调查", "Surveys"),
    ("import.targets", "目标", "Targets"),
    ("import.templateCsv", "下载模板（CSV）", "Template (CSV)"),
    ("import.templateXlsx", "下载模板（XLSX）", "Template (XLSX)"),
    ("lang.switch", "English", "中文"),
    ("loading", "加载中…", "Loading…"),
    ("login.busy", "正在登录…", "Signing in…"),
    (
        "login.demo",
        "演示账号密码均为 dudao-demo",
        "Demo accounts use the password dudao-demo",
    ),
    ("login.email", "邮箱", "Email"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.title", "登录", "Sign in"),
    ("logout", "退出", "Sign out"),
    ("nav.activity", "过程", "Activity"),
    ("nav.alerts", "预警", "Alerts"),
    ("nav.coaching", "辅导", "Coaching"),
    ("nav.customers", "客户", "Customers"),
    ("nav.evaluations", "评估", "Evaluations"),
    ("nav.home", "概览", "Overview"),
    ("nav.import", "导入", "Import"),
    ("nav.knowledge", "知识库", "Knowledge"),
    ("nav.me", "我的档案", "My profile"),
    ("nav.orders", "订单", "Orders"),
    ("nav.promotion", "晋升", "Promotion"),
    ("nav.regions", "区域", "Regions"),
    ("nav.reps", "销售代表", "Reps"),
    ("nav.reviews", "复盘", "Reviews"),
    ("nav.scorecard", "业绩记分卡", "Scorecard"),
    ("nav.targets", "目标", "Targets"),
    ("nav.training", "培训", "Training"),
    ("nav.users", "用户", "Users"),
    ("no", "否", "no"),
    ("none", "无", "None"),
    ("notfound", "页面不存在", "Page not found"),
    ("orders.cancelled", "含已取消", "Include cancelled"),
    ("orders.from", "从", "From"),
    ("orders.sum", "本页合计", "Page total"),
    ("orders.to", "至", "To"),
    ("page.next", "下一页", "Next"),
    ("page.of", "共", "of"),
    ("page.prev", "上一页", "Previous"),
    ("page.rows", "条", "rows"),
    ("region.edit", "编辑区域", "Edit region"),
    ("region.new", "新建区域", "New region"),
    ("rep.customers", "负责的客户", "Customers"),
    ("rep.edit", "编辑档案", "Edit profile"),
    ("rep.profile", "销售代表档案", "Rep profile"),
    ("retry", "重试", "Retry"),
    ("role.ADMIN", "系统管理员", "Administrator"),
    ("role.DIRECTOR", "销售总监", "Sales director"),
    ("role.REP", "销售代表", "Sales rep"),
    ("role.SUPERVISOR", "督导", "Supervisor"),
    ("save", "保存", "Save"),
    ("saved", "已保存", "Saved"),
    ("saving", "保存中…", "Saving…"),
    ("sc.aov", "客单价", "Avg. order value"),
    ("sc.attainment", "目标达成率", "Attainment"),
    ("sc.collected", "回款额", "Collected"),
    ("sc.collection", "回款率", "Collection rate"),
    ("sc.company", "全公司", "Company"),
    ("sc.cycle", "销售周期（中位数）", "Sales cycle (median)"),
    ("sc.days", "天", "days"),
    ("sc.drill", "查看订单 →", "See the orders →"),
    (
        "sc.funnel",
        "销售漏斗（本期新建机会）",
        "Pipeline funnel (opportunities created in the period)",
    ),
    ("sc.growth", "客户增长率", "Customer growth"),
    (
        "sc.heatmap",
        "区域达成率热力图",
        "Attainment by region and period",
    ),
    (
        "sc.legendPace",
        "按进度比（达成率 ÷ 时间进度）着色：",
        "Coloured by pace (attainment ÷ time elapsed):",
    ),
    ("sc.legendSales", "销售额", "Sales"),
    ("sc.legendTarget", "目标", "Target"),
    ("sc.month", "月度", "Month"),
    ("sc.newCustomers", "新客户", "New customers"),
    ("sc.noTarget", "未设目标", "no target"),
    ("sc.nps", "净推荐值 NPS", "NPS"),
    ("sc.orders", "订单数", "Orders"),
    ("sc.ownScorecard", "我的业绩", "My scorecard"),
    ("sc.pace", "进度比", "Pace"),
    ("sc.period", "期间", "Period"),
    ("sc.process", "过程指标", "Process figures"),
    ("sc.quarter", "季度", "Quarter"),
    ("sc.rankRegions", "区域排名", "Regions ranked"),
    ("sc.rankReps", "销售代表排名", "Reps ranked"),
    ("sc.ranking", "排名", "Ranking"),
    (
        "sc.runRate",
        "（本期按时间进度折算）",
        " (this period at its run rate)",
    ),
    ("sc.sales", "销售额", "Sales"),
    ("sc.satisfaction", "客户满意度", "Satisfaction"),
    ("sc.scope", "范围", "Scope"),
    (
        "sc.scrollHint",
        "← 左右滑动查看更早的期间",
        "← Swipe for earlier periods",
    ),
    ("sc.target", "销售目标", "Target"),
    ("sc.timeProgress", "时间进度", "Time elapsed"),
    ("sc.toNext", "进入下一阶段", "to next stage"),
    ("sc.trend", "销售额与目标趋势", "Sales against target"),
    ("sc.vsPrevious", "环比", "vs previous period"),
    ("sc.vsTarget", "目标", "target"),
    ("sc.vsYearAgo", "同比", "vs a year ago"),
    ("sc.winRate", "赢单率", "Win rate"),
    ("sc.year", "年度", "Year"),
    ("stage.CONTACTED", "已接触", "Contacted"),
    ("stage.LEAD", "线索", "Lead"),
    ("stage.NEEDS_ANALYSIS", "需求分析", "Needs analysis"),
    ("stage.NEGOTIATION", "商务谈判", "Negotiation"),
    ("stage.PROPOSAL", "方案报价", "Proposal"),
    ("stage.WON", "赢单", "Won"),
    ("status.ACTIVE", "在职", "Active"),
    ("status.CANCELLED", "已取消", "Cancelled"),
    ("status.CONFIRMED", "已确认", "Confirmed"),
    ("status.LEFT", "已离职", "Left"),
    ("status.ON_LEAVE", "休假", "On leave"),
    ("tagline", "销售督导平台", "Sales supervision"),
    ("tg.ACCEPTED", "已接受", "Accepted"),
    ("tg.COLLECTION", "回款", "Collection"),
    ("tg.DECIDED", "已裁定", "Decided"),
    ("tg.NEW_CUSTOMERS", "新客户", "New customers"),
    ("tg.SALES", "销售额", "Sales"),
    ("tg.WITHDRAWN", "已撤回", "Withdrawn"),
    ("tg.accept", "接受", "Accept"),
    (
        "tg.badNumber",
        "有无法识别的数字",
        "Some values are not numbers",
    ),
    ("tg.childrenTotal", "下级合计", "Children total"),
    ("tg.confirmDecide", "确定", "Decide"),
    ("tg.decide", "裁定其他数值", "Decide another figure"),
    ("tg.finalValue", "最终目标", "Final figure"),
    ("tg.history", "调整与协商记录", "Changes and negotiation"),
    ("tg.lastYear", "去年同期", "Same period last year"),
    ("tg.lastYearShort", "去年", "LY"),
    ("tg.mine", "我的目标", "My target"),
    ("tg.missing", "未设目标", "without a target:"),
    ("tg.noHistory", "暂无调整记录", "No changes yet"),
    (
        "tg.noParent",
        "本期尚未设定目标",
        "No target set for this period yet",
    ),
    ("tg.nothing", "没有需要保存的修改", "Nothing changed"),
    ("tg.over", "超出", "over by"),
    ("tg.parentTarget", "上级目标", "parent target"),
    ("tg.pending", "待处理提议", "Proposal pending"),
    ("tg.propose", "提出不同目标", "Propose another figure"),
    ("tg.proposed", "提议", "Proposed"),
    ("tg.proposedTo", "提议调整为", "proposed"),
    ("tg.proposedValue", "建议目标", "Proposed figure"),
    (
        "tg.reason",
        "调整说明（可选，记入历史）",
        "Why (optional, kept in the history)",
    ),
    ("tg.reasonRequired", "理由（必填）", "Reason (required)"),
    ("tg.reset", "撤销修改", "Undo changes"),
    ("tg.send", "提交提议", "Send proposal"),
    ("tg.suggest", "按去年业绩建议分配", "Suggest from last year"),
    (
        "tg.suggested",
        "已按去年同期业绩填入建议值，检查后保存",
        "Filled in from last year's figures: check, then save",
    ),
    ("tg.target", "目标", "Target"),
    ("tg.total", "合计", "Total"),
    ("tg.under", "不足", "short by"),
    ("tg.viaProposal", "经协商", "negotiated"),
    (
        "tg.waiting",
        "待我处理的目标提议",
        "Proposals waiting for me",
    ),
    ("tg.withdraw", "撤回", "Withdraw"),
    (
        "training.effectChart",
        "培训前后赢单率",
        "Win rate before and after training",
    ),
    ("user.edit", "编辑用户", "Edit user"),
    ("user.new", "新建用户", "New user"),
    (
        "user.newPassword",
        "新密码（留空则不修改）",
        "New password (leave empty to keep)",
    ),
    ("yes", "是", "yes"),
];

fn entry(key: &'static str) -> (&'static str, &'static str) {
    TEXTS
        .binary_search_by(|(k, _, _)| k.cmp(&key))
        .ok()
        .and_then(|i| TEXTS.get(i))
        .map_or((key, key), |(_, zh, en)| (zh, en))
}

#[cfg(test)]
mod tests {
    use super::TEXTS;

    #[test]
    fn texts_are_sorted_by_unique_keys() {
        for pair in TEXTS.windows(2) {
            if let [a, b] = pair {
                assert!(a.0 < b.0, "{} must come before {}", a.0, b.0);
            }
        }
    }

    /// Every `t("…")` in the app's sources names a text (a missing one would show its key).
    #[test]
    fn every_text_the_pages_ask_for_exists() {
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut missing = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap_or_default();
                for piece in src.split("t(\"").skip(1) {
                    let Some((key, _)) = piece.split_once('"') else {
                        continue;
                    };
                    if key.contains('.') && TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_err()
                    {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "texts missing: {missing:?}");
    }
}
