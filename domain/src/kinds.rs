//! The fixed values stored in columns, in one place so entities and features both use them
//! without importing each other. Each feature re-exports its own and adds their behaviour.

// activities
code_enum!(
    Attendance {
        Attended => "attended", "已签到";
        NoShow => "no_show", "缺席";
        Excused => "excused", "请假";
    }
);

code_enum!(
    ActivityKind {
        PartyDay => "party_day", "主题党日";
        BranchAssembly => "branch_assembly", "支部党员大会";
        BranchCommittee => "branch_committee", "支部委员会";
        GroupMeeting => "group_meeting", "党小组会";
        PartyLesson => "party_lesson", "党课";
        OrgLifeMeeting => "org_life_meeting", "组织生活会";
        Volunteer => "volunteer", "志愿服务";
        Study => "study", "学习教育";
        Culture => "culture", "文体活动";
    }
);

code_enum!(
    /// Who may sign up.
    Audience {
        All => "all", "全体党员";
        Branch => "branch", "本支部党员";
        InService => "in_service", "报到的在职党员";
        Residents => "residents", "居民群众";
    }
);

code_enum!(
    SignupState {
        Confirmed => "confirmed", "已报名";
        Waitlisted => "waitlisted", "候补";
        Cancelled => "cancelled", "已取消";
    }
);

// auth
stored_enum!(
    /// A role held on one org node. Stored as its snake_case name.
    pub Role {
        PlatformOperator => "platform_operator",
        DistrictOrganiser => "district_organiser",
        StreetStaff => "street_staff",
        CommunitySecretary => "community_secretary",
        CommunityWorker => "community_worker",
        BranchSecretary => "branch_secretary",
        Member => "member",
        UnitLiaison => "unit_liaison",
    }
);

// coop
code_enum!(
    /// Who is invited: a unit, a community (street meetings), a grid branch (community meetings)
    /// or a person by name.
    InviteeKind {
        Unit => "unit", "共建单位";
        Community => "community", "社区";
        Branch => "branch", "网格党支部";
        Person => "person", "个人";
    }
);

code_enum!(
    /// What a need is about.
    NeedCategory {
        Elderly => "elderly", "助老";
        Disabled => "disabled", "助残";
        Environment => "environment", "环境";
        Employment => "employment", "就业";
        Education => "education", "教育";
        Culture => "culture", "文化";
        Security => "security", "治安";
        Other => "other", "其他";
    }
);

code_enum!(
    Urgency {
        Normal => "normal", "一般";
        Soon => "soon", "较急";
        Urgent => "urgent", "紧急";
    }
);

code_enum!(
    /// A claim's progress: posted, claimed, delivered by the claimant, confirmed by the community.
    NeedStatus {
        Open => "open", "待认领";
        Claimed => "claimed", "已认领";
        Delivered => "delivered", "已送达";
        Done => "done", "已完成";
    }
);

code_enum!(
    /// The kinds of resident unit (驻区单位).
    PartnerKind {
        Agency => "agency", "机关";
        Enterprise => "enterprise", "企业";
        Institution => "institution", "事业单位";
        School => "school", "学校";
        Hospital => "hospital", "医院";
        Military => "military", "部队";
        NewOrg => "new_org", "两新组织";
        SocialOrg => "social_org", "社会组织";
    }
);

code_enum!(
    ProjectStatus {
        Planned => "planned", "筹备中";
        Active => "active", "实施中";
        Done => "done", "已完成";
    }
);

code_enum!(
    /// As shown: 逾期 is any resolution not closed by its due date.
    ResolutionStatus {
        NotStarted => "not_started", "未开始";
        InProgress => "in_progress", "进行中";
        Done => "done", "已办结";
        Overdue => "overdue", "逾期";
    }
);

code_enum!(
    OwnerKind {
        Community => "community", "社区";
        Unit => "unit", "共建单位";
        Person => "person", "责任人";
    }
);

code_enum!(
    ResourceKind {
        Venue => "venue", "场地";
        Funds => "funds", "资金";
        Equipment => "equipment", "设备";
        Volunteers => "volunteers", "志愿者";
        Expertise => "expertise", "专业服务";
    }
);

// members
stored_enum!(
    pub EventKind {
        Created => "created",
        Updated => "updated",
        Imported => "imported",
        TransferIn => "transfer_in",
        TransferOut => "transfer_out",
        Reported => "reported",
        ReportConfirmed => "report_confirmed",
        ReportDeclined => "report_declined",
        Moved => "moved",
        ProposalMade => "proposal_made",
        ProposalApproved => "proposal_approved",
        ProposalReturned => "proposal_returned",
        DuesAssessed => "dues_assessed",
        DuesPaid => "dues_paid",
        DuesPaymentUndone => "dues_payment_undone",
    }
);

stored_enum!(
    /// Where a member's proposed change to their own details stands.
    pub ProposalStatus {
        Open => "open",
        Approved => "approved",
        Returned => "returned",
    }
);

code_enum!(
    /// 分类管理: each category gets its own style of management.
    Category {
        InService => "in_service", "在职";
        Retired => "retired", "离退休";
        Unemployed => "unemployed", "下岗失业";
        Floating => "floating", "流动";
        Resident => "resident", "自管居民";
        Graduate => "graduate", "高校毕业生待就业";
    }
);

code_enum!(
    /// Where a member's Party relation (组织关系) is held: in this community, or at their
    /// employer while they report here under 双报到. Only the first counts as the community's
    /// member in its figures, its 三会一课 and their deductions.
    PartyRelation {
        Here => "here", "组织关系在本社区";
        Reporting => "reporting", "报到党员";
    }
);

code_enum!(
    Status {
        Normal => "normal", "正常";
        LostContact => "lost_contact", "失联";
        Absent => "absent", "空挂";
        TransferredOut => "transferred_out", "已转出";
    }
);

code_enum!(
    /// How a floating member was contacted.
    ContactMethod {
        Phone => "phone", "电话";
        WeChat => "wechat", "微信";
        Visit => "visit", "上门";
        Other => "other", "其他";
    }
);

code_enum!(
    /// 关爱帮扶: what kind of care was given.
    CareKind {
        Visit => "visit", "走访";
        Help => "help", "帮扶";
        StudyAtHome => "study_at_home", "送学上门";
    }
);

code_enum!(
    Gender {
        Male => "男", "男";
        Female => "女", "女";
    }
);

// notices
code_enum!(
    /// Whom a notice goes to. A community sends to its members (all, one branch, the in-service
    /// reporters) or its staff; a street or district to the staff of the nodes below, or to every
    /// member of its communities.
    NoticeAudience {
        Members => "members", "全体党员";
        Branch => "branch", "本支部党员";
        InService => "in_service", "报到的在职党员";
        Staff => "staff", "社区工作人员";
        StreetStaff => "street_staff", "各街道工作人员";
        CommunityStaff => "community_staff", "各社区工作人员";
        AllMembers => "all_members", "所辖社区全体党员";
    }
);

/// What a message's subject is: which record its id names, and where that is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageSubject {
    /// A notice, kept by the sending node.
    Notice,
    /// An activity of the recipient's community.
    Activity,
    /// A joint meeting, kept by the street.
    Meeting,
    /// A meeting's resolution (议定事项), kept by the street.
    Resolution,
    /// A need or micro-wish, kept by the street.
    Need,
    /// The recipient's 双报到 report, kept by their community.
    Report,
    /// The recipient's proposed change of their details, kept by their community.
    Proposal,
}

impl MessageKind {
    /// Whether it is also texted to those who asked (短信 costs per message): what a person
    /// must not miss — a notice, their activity starting soon, moved or cancelled, a seat that
    /// came free, a meeting they are invited to, a resolution overdue.
    pub fn by_text(self) -> bool {
        use MessageKind::*;
        matches!(
            self,
            Notice
                | ActivitySoon
                | ActivityChanged
                | ActivityCancelled
                | WaitlistPromoted
                | MeetingInvited
                | ResolutionOverdue
        )
    }

    pub fn subject(self) -> MessageSubject {
        use MessageKind::*;
        match self {
            Notice => MessageSubject::Notice,
            ActivityDayBefore | ActivitySoon | ActivityChanged | ActivityCancelled
            | WaitlistPromoted => MessageSubject::Activity,
            MeetingInvited | MeetingSoon | MinutesPublished => MessageSubject::Meeting,
            ResolutionAssigned | ResolutionDueSoon | ResolutionOverdue => {
                MessageSubject::Resolution
            }
            NeedClaimed | NeedDelivered => MessageSubject::Need,
            ReportConfirmed | ReportReturned => MessageSubject::Report,
            ProposalApproved | ProposalReturned => MessageSubject::Proposal,
        }
    }
}

code_enum!(
    /// What a message in someone's message centre (消息) is about.
    MessageKind {
        Notice => "notice", "通知公告";
        ActivityDayBefore => "activity_day_before", "活动提醒";
        ActivitySoon => "activity_soon", "活动即将开始";
        ActivityChanged => "activity_changed", "活动变更";
        ActivityCancelled => "activity_cancelled", "活动取消";
        WaitlistPromoted => "waitlist_promoted", "候补转正";
        MeetingInvited => "meeting_invited", "会议邀请";
        MeetingSoon => "meeting_soon", "会议提醒";
        MinutesPublished => "minutes_published", "会议纪要";
        ResolutionAssigned => "resolution_assigned", "议定事项交办";
        ResolutionDueSoon => "resolution_due_soon", "议定事项即将到期";
        ResolutionOverdue => "resolution_overdue", "议定事项督办";
        NeedClaimed => "need_claimed", "需求已认领";
        NeedDelivered => "need_delivered", "需求待确认";
        ReportConfirmed => "report_confirmed", "报到已确认";
        ReportReturned => "report_returned", "报到被退回";
        ProposalApproved => "proposal_approved", "信息修改已通过";
        ProposalReturned => "proposal_returned", "信息修改被退回";
    }
);

code_enum!(
    /// A channel beyond the app that messages also go out through.
    Channel {
        Email => "email", "电子邮件";
        Robot => "robot", "群机器人";
        Sms => "sms", "短信";
    }
);

code_enum!(
    /// Whose group robot a node posts its notices to.
    RobotKind {
        Wecom => "wecom", "企业微信";
        Dingtalk => "dingtalk", "钉钉";
    }
);

// org
stored_enum!(
    pub NodeKind {
        Country => "country",
        Province => "province",
        City => "city",
        District => "district",
        Street => "street",
        Community => "community",
    }
);

stored_enum!(
    pub PlacementKind {
        GridBranch => "grid_branch",
        BuildingGroup => "building_group",
        CentralHousehold => "central_household",
    }
);

// points
code_enum!(
    PointsCategory {
        Attendance => "attendance", "参加活动";
        Volunteer => "volunteer", "志愿服务";
        Wish => "wish", "微心愿";
        Absence => "absence", "无故缺席";
        Manual => "manual", "手动调整";
    }
);

code_enum!(
    Rule {
        Attend => "attend", "参加活动（新活动的默认积分）";
        VolunteerHour => "volunteer_hour", "每小时志愿服务";
        Wish => "wish", "认领并完成微心愿";
        Absence => "absence", "无故缺席三会一课（扣分）";
    }
);

// reporting
stored_enum!(
    pub ReportStatus {
        Pending => "pending",
        Confirmed => "confirmed",
        Declined => "declined",
    }
);

code_enum!(
    /// How 党费 was paid.
    PaymentMethod {
        Cash => "cash", "现金";
        Transfer => "transfer", "转账";
    }
);

code_enum!(
    /// A post on a branch committee (支部委员会).
    CommitteePost {
        Secretary => "secretary", "书记";
        Deputy => "deputy", "副书记";
        Organisation => "organisation", "组织委员";
        Publicity => "publicity", "宣传委员";
        Discipline => "discipline", "纪检委员";
        Member => "member", "委员";
    }
);

code_enum!(
    /// A member's grade in the yearly 民主评议党员, best first.
    ReviewGrade {
        Excellent => "excellent", "优秀";
        Qualified => "qualified", "合格";
        Basic => "basically_qualified", "基本合格";
        Unqualified => "unqualified", "不合格";
    }
);

code_enum!(
    /// A member's request for leave (请假) from a branch meeting, and the organiser's decision.
    LeaveState {
        Asked => "asked", "待审批";
        Approved => "approved", "已准假";
        Refused => "refused", "未准假";
    }
);

code_enum!(
    /// 正式党员 or 预备党员 (a member on probation, who attends but neither votes nor is elected).
    PartyStanding {
        Full => "full", "正式党员";
        Probationary => "probationary", "预备党员";
    }
);
