//! 通知公告 on both engines: a community's notice read and confirmed by its members, the
//! secretary's per-person receipts, reminders and withdrawal; a street's and a district's
//! notices counted per node below with no names; refusals that write nothing; and every role
//! of every other tenant against one community's message and notice ids.
use chrono::{Duration, Utc};
use domain::both_engines;
use domain::members;
use domain::notices::{self, NoticeAudience, NoticeInput};
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{
    member_a_record, member_input, member_with_login, migration, today, world, TestDb, World,
};
use domain::{Db, DomainError};
use uuid::Uuid;

fn notice(title: &str, audience: NoticeAudience, confirm_in: Option<i64>) -> NoticeInput {
    NoticeInput {
        title: title.into(),
        body: "12月5日（周五）下午2:30在社区党群服务中心召开党员大会。\n请准时参加。".into(),
        audience: audience.as_str().into(),
        branch: String::new(),
        confirm_by: confirm_in
            .map(|d| (today() + Duration::days(d)).to_string())
            .unwrap_or_default(),
        files: Vec::new(),
    }
}

/// member_a (陈晓明) with their record in A.
async fn member_a(db: &Db, w: &World) -> TenantScope {
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    tx.commit().await.expect("commit");
    w.scope_as(db, "member_a", w.community_a.id).await
}

async fn community_notice(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let chen = member_a(db, &w).await;
    let (wang, _) =
        member_with_login(db, &w, "secretary_a", w.community_a.id, "王秀兰", "wang_a").await;
    // A member without a login has no message centre; a transferred member gets nothing.
    let tx = secretary.write(db).await.expect("tx");
    members::create(&tx, &member_input("无账号"), None, today())
        .await
        .expect("record");
    tx.commit().await.expect("commit");
    let (gone, gone_record) =
        member_with_login(db, &w, "secretary_a", w.community_a.id, "赵离开", "gone_a").await;
    let tx = secretary.write(db).await.expect("tx");
    members::transfer_out(&tx, gone_record, &today().to_string(), "宽城区", today())
        .await
        .expect("transferred");
    tx.commit().await.expect("commit");

    let now = Utc::now();
    let id = notices::publish(
        db,
        &secretary,
        &notice("关于召开党员大会的通知", NoticeAudience::Members, Some(3)),
        now,
    )
    .await
    .expect("published");
    // A second click on 发布 minutes later sends nothing more.
    assert_eq!(
        notices::publish(
            db,
            &secretary,
            &notice("关于召开党员大会的通知", NoticeAudience::Members, Some(3)),
            now + Duration::minutes(2),
        )
        .await,
        Err(DomainError::invalid("notice", "already_sent"))
    );

    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 1);
    assert_eq!(notices::unread(db, &gone).await.expect("unread"), 0);
    assert_eq!(notices::unread(db, &secretary).await.expect("unread"), 0);
    let inbox = notices::inbox(db, &chen, 1).await.expect("inbox");
    assert_eq!(inbox.unread, 1);
    assert_eq!(inbox.items.len(), 1);
    let item = &inbox.items[0];
    assert_eq!(item.title, "关于召开党员大会的通知");
    assert!(!item.read && !item.confirmed);
    assert_eq!(item.confirm_by, Some(today() + Duration::days(3)));
    assert!(!item.from.is_empty());

    // Two tabs open it at once: read once, counted once (checked in the sent list below).
    let (opened, again) = tokio::join!(
        notices::open(db, &chen, item.message_id, now),
        notices::open(db, &chen, item.message_id, now)
    );
    let opened = opened.expect("opened");
    assert!(again.expect("opened in the other tab").item.read);
    assert!(opened.item.read);
    assert!(opened.body.contains("\n请准时参加"));
    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 0);
    // Opening again counts nothing twice.
    notices::open(db, &chen, item.message_id, now)
        .await
        .expect("opened again");
    notices::confirm(db, &chen, item.message_id, now)
        .await
        .expect("confirmed");
    notices::confirm(db, &chen, item.message_id, now)
        .await
        .expect("confirmed again");

    let (sent, more) = notices::sent(db, &secretary, "", 1).await.expect("sent");
    assert!(!more);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].recipients, sent[0].read, sent[0].confirmed),
        (2, 1, 1)
    );
    assert_eq!(
        notices::sent(db, &secretary, "大会", 1)
            .await
            .expect("found")
            .0
            .len(),
        1
    );
    assert!(notices::sent(db, &secretary, "党课", 1)
        .await
        .expect("none")
        .0
        .is_empty());
    let receipts = notices::receipts(db, &secretary, id)
        .await
        .expect("receipts");
    assert!(receipts.nodes.is_empty());
    let people: Vec<(&str, bool, bool)> = receipts
        .people
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.read_at.is_some(),
                p.confirmed_at.is_some(),
            )
        })
        .collect();
    assert_eq!(people, [("王秀兰", false, false), ("member_a", true, true)]);

    // 提醒 reaches the one who has read but not confirmed it, once an hour at most: it counts
    // as unread for them again until they open it.
    let wang_message = notices::inbox(db, &wang, 1).await.expect("inbox").items[0].message_id;
    notices::open(db, &wang, wang_message, now)
        .await
        .expect("read, not confirmed");
    assert_eq!(notices::unread(db, &wang).await.expect("unread"), 0);
    assert_eq!(
        notices::remind(db, &secretary, id, now)
            .await
            .expect("reminded"),
        1
    );
    assert!(notices::inbox(db, &wang, 1).await.expect("inbox").items[0].reminded);
    assert_eq!(notices::unread(db, &wang).await.expect("unread"), 1);
    assert!(!notices::inbox(db, &chen, 1).await.expect("inbox").items[0].reminded);
    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 0);
    let reopened = notices::open(db, &wang, wang_message, now)
        .await
        .expect("opened again");
    assert!(!reopened.item.reminded);
    assert_eq!(notices::unread(db, &wang).await.expect("unread"), 0);
    assert_eq!(
        notices::sent(db, &secretary, "", 1).await.expect("sent").0[0].read,
        2,
        "read once each, whatever the reminders"
    );
    assert_eq!(
        notices::remind(db, &secretary, id, now + Duration::minutes(10)).await,
        Err(DomainError::invalid("notice", "reminded_recently"))
    );

    // 撤回: it leaves the message centres; who had read it stays on record with the sender.
    let reminded_again = now + Duration::hours(2);
    notices::remind(db, &secretary, id, reminded_again)
        .await
        .expect("reminded");
    assert_eq!(notices::unread(db, &wang).await.expect("unread"), 1);
    notices::withdraw(db, &secretary, id, now)
        .await
        .expect("withdrawn");
    let kept = notices::receipts(db, &secretary, id).await.expect("kept");
    assert_eq!(kept.people.len(), 2);
    assert!(kept.people.iter().all(|p| p.read_at.is_some()));
    assert!(notices::inbox(db, &wang, 1)
        .await
        .expect("inbox")
        .items
        .is_empty());
    assert_eq!(notices::unread(db, &wang).await.expect("unread"), 0);
    assert_eq!(
        notices::open(db, &chen, item.message_id, now).await,
        Err(DomainError::NotFound)
    );
    assert!(notices::sent(db, &secretary, "", 1).await.expect("sent").0[0].withdrawn);
    assert_eq!(
        notices::withdraw(db, &secretary, id, now).await,
        Err(DomainError::invalid("notice", "withdrawn"))
    );
}
both_engines!(
    a_community_notice_is_read_confirmed_reminded_and_withdrawn,
    community_notice
);

async fn street_and_district(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let chen = member_a(db, &w).await;
    let (li, _) = member_with_login(db, &w, "worker_b", w.community_b.id, "李建华", "li_b").await;
    let (zhao, _) =
        member_with_login(db, &w, "secretary_c", w.community_c.id, "赵志刚", "zhao_c").await;
    let street = w.scope_as(db, "street", w.street.id).await;
    let now = Utc::now();

    let to_members = notices::publish(
        db,
        &street,
        &notice(
            "关于开展冬季送温暖活动的通知",
            NoticeAudience::AllMembers,
            None,
        ),
        now,
    )
    .await
    .expect("published");
    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 1);
    assert_eq!(notices::unread(db, &li).await.expect("unread"), 1);
    // Another street's community hears nothing.
    assert_eq!(notices::unread(db, &zhao).await.expect("unread"), 0);
    let message = notices::inbox(db, &chen, 1).await.expect("inbox").items[0].message_id;
    notices::open(db, &chen, message, now)
        .await
        .expect("opened");
    // Nothing to confirm: it did not ask.
    assert_eq!(
        notices::confirm(db, &chen, message, now).await,
        Err(DomainError::invalid("notice", "no_confirmation_asked"))
    );

    let receipts = notices::receipts(db, &street, to_members)
        .await
        .expect("receipts");
    assert!(receipts.people.is_empty(), "a street sees no names");
    let tallies: Vec<(Uuid, u64, u64)> = receipts
        .nodes
        .iter()
        .map(|n| (n.node_id, n.recipients, n.read))
        .collect();
    assert!(tallies.contains(&(w.community_a.id, 1, 1)));
    assert!(tallies.contains(&(w.community_b.id, 1, 0)));
    assert!(!tallies.iter().any(|(node, ..)| *node == w.community_c.id));
    assert_eq!((receipts.notice.recipients, receipts.notice.read), (2, 1));

    // To the communities' staff: the secretary of A and the worker of B, not the members.
    notices::publish(
        db,
        &street,
        &notice(
            "关于报送年度党建工作总结的通知",
            NoticeAudience::CommunityStaff,
            Some(7),
        ),
        now,
    )
    .await
    .expect("published");
    let secretary_a = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let worker_b = w.scope_as(db, "worker_b", w.community_b.id).await;
    assert_eq!(notices::unread(db, &secretary_a).await.expect("unread"), 1);
    assert_eq!(notices::unread(db, &worker_b).await.expect("unread"), 1);
    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 0);

    // A district to its streets' staff.
    let district = w.scope_as(db, "district", w.district.id).await;
    notices::publish(
        db,
        &district,
        &notice(
            "关于做好年底党费收缴工作的通知",
            NoticeAudience::StreetStaff,
            None,
        ),
        now,
    )
    .await
    .expect("published");
    let other_street = w.scope_as(db, "other_street", w.other_street.id).await;
    assert_eq!(notices::unread(db, &street).await.expect("unread"), 1);
    assert_eq!(notices::unread(db, &other_street).await.expect("unread"), 1);
    let item = &notices::inbox(db, &street, 1).await.expect("inbox").items[0];
    assert_eq!(item.title, "关于做好年底党费收缴工作的通知");
}
both_engines!(
    street_and_district_notices_are_counted_per_node,
    street_and_district
);

async fn refusals(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let chen = member_a(db, &w).await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let now = Utc::now();
    let good = notice("通知", NoticeAudience::Members, None);
    let refused = [
        (&chen, good.clone(), DomainError::Forbidden),
        (
            &secretary,
            NoticeInput {
                title: "  ".into(),
                ..good.clone()
            },
            DomainError::invalid("notice_title", "required"),
        ),
        (
            &secretary,
            NoticeInput {
                title: "题".repeat(notices::TITLE_MAX + 1),
                ..good.clone()
            },
            DomainError::invalid("notice_title", "too_long"),
        ),
        (
            &secretary,
            NoticeInput {
                body: "文".repeat(notices::BODY_MAX + 1),
                ..good.clone()
            },
            DomainError::invalid("notice_body", "too_long"),
        ),
        (
            &secretary,
            notice("通知", NoticeAudience::Members, Some(-1)),
            DomainError::invalid("confirm_by", "in_past"),
        ),
        (
            &secretary,
            notice("通知", NoticeAudience::AllMembers, None),
            DomainError::invalid("notice_audience", "not_in_list"),
        ),
        (
            &secretary,
            notice("通知", NoticeAudience::Branch, None),
            DomainError::invalid("branch", "not_in_list"),
        ),
        // Nobody reported for in-service work yet: nobody to send to.
        (
            &secretary,
            notice("通知", NoticeAudience::InService, None),
            DomainError::invalid("notice_audience", "no_recipients"),
        ),
    ];
    for (scope, input, error) in refused {
        assert_eq!(
            notices::publish(db, scope, &input, now).await,
            Err(error),
            "{input:?}"
        );
    }
    assert!(notices::sent(db, &secretary, "", 1)
        .await
        .expect("sent")
        .0
        .is_empty());
    assert_eq!(notices::unread(db, &chen).await.expect("unread"), 0);
    // A member sees no sender's list.
    assert_eq!(
        notices::sent(db, &chen, "", 1).await,
        Err(DomainError::Forbidden)
    );
}
both_engines!(refused_notices_write_nothing, refusals);

/// Every role of every other tenant, and the other people of A, against A's notice and
/// member_a's message: nothing read, nothing changed.
async fn isolation(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let chen = member_a(db, &w).await;
    domain::testing::paired_school(db, &w).await;
    // Another member of A (a recipient too) and a member of B.
    let (wang, _) =
        member_with_login(db, &w, "secretary_a", w.community_a.id, "王秀兰", "wang_a").await;
    let (li, _) = member_with_login(db, &w, "worker_b", w.community_b.id, "李建华", "li_b").await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let now = Utc::now();
    let id = notices::publish(
        db,
        &secretary,
        &notice("关于召开党员大会的通知", NoticeAudience::Members, Some(3)),
        now,
    )
    .await
    .expect("published");
    let message = notices::inbox(db, &chen, 1).await.expect("inbox").items[0].message_id;

    let mut scopes = vec![("wang_a", wang), ("li_b", li)];
    for account in &w.accounts {
        for node in w.tenants() {
            let principal = w.principal(db, account.login).await;
            if let Ok(scope) = principal.tenant_scope(db, node).await {
                if !(account.login == "member_a" && node == w.community_a.id) {
                    scopes.push((account.login, scope));
                }
            }
        }
    }
    assert_eq!(scopes.len(), 9, "every role with a scope somewhere");
    for (login, scope) in &scopes {
        // A's secretary sent it: theirs are the sender's views, never member_a's message.
        let sender = *login == "secretary_a" && scope.tenant_id() == w.community_a.id;
        let mut results = vec![
            notices::open(db, scope, message, now).await.map(|_| ()),
            notices::confirm(db, scope, message, now).await,
        ];
        if !sender {
            results.push(notices::receipts(db, scope, id).await.map(|_| ()));
            results.push(notices::remind(db, scope, id, now).await.map(|_| ()));
            results.push(notices::withdraw(db, scope, id, now).await);
        }
        for result in results {
            assert!(
                matches!(result, Err(DomainError::NotFound | DomainError::Forbidden)),
                "{login}: {result:?}"
            );
        }
        let listed = notices::sent(db, scope, "", 1).await;
        let leaked = listed
            .as_ref()
            .is_ok_and(|(sent, _)| sent.iter().any(|n| n.id == id));
        assert!(!leaked || sender, "{login} lists A's notice");
        let inbox = notices::inbox(db, scope, 1).await.expect("own inbox");
        assert!(
            inbox.items.iter().all(|i| i.message_id != message),
            "{login}"
        );
    }
    // Nothing moved: still unread, unconfirmed, not reminded, not withdrawn.
    let item = &notices::inbox(db, &chen, 1).await.expect("inbox").items[0];
    assert!(!item.read && !item.confirmed && !item.reminded);
    let sent = &notices::sent(db, &secretary, "", 1).await.expect("sent").0[0];
    assert_eq!((sent.read, sent.confirmed, sent.withdrawn), (0, 0, false));
    assert!(sent.reminded_at.is_none());
}
both_engines!(other_tenants_and_people_reach_no_notice, isolation);

/// A 支部书记 sends to their own branch (building groups included) whatever branch the form
/// names, nothing wider; sees the branch's notices and reminds or withdraws only their own. A
/// disabled account receives nothing. The title search takes `%` as typed and ignores case.
async fn branch_notices(t: TestDb) {
    use domain::auth::admin::{self, NewAccount};
    use domain::org::placements::{self, PlacementKind};
    let (db, w) = (&t.db, world(&t.db).await);
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(db).await.expect("tx");
    let first =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let second =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第二网格党支部", None)
            .await
            .expect("branch");
    let group = placements::create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "1号楼党小组",
        Some(first),
    )
    .await
    .expect("group");
    tx.commit().await.expect("commit");
    let placed = async |name: &str, login: &str, unit: Uuid| {
        let (scope, record) =
            member_with_login(db, &w, "secretary_a", w.community_a.id, name, login).await;
        let tx = secretary.write(db).await.expect("tx");
        let input = members::MemberInput {
            unit_id: Some(unit),
            ..member_input(name)
        };
        members::update(&tx, record, &input, today())
            .await
            .expect("placed");
        tx.commit().await.expect("commit");
        scope
    };
    let zhang = placed("张一", "zhang_a", first).await;
    let li = placed("李二", "li_a", group).await;
    let wang = placed("王三", "wang_a", second).await;
    let disabled = placed("钱五", "qian_a", first).await;
    let admin_view = w.principal(db, "secretary_a").await;
    admin::set_active(db, &admin_view, disabled.actor_user_id(), false)
        .await
        .expect("disabled");
    let (branch_user, _) = admin::open_account(
        db,
        &admin_view,
        &NewAccount {
            login_name: "branch_a".into(),
            display_name: "刘支书".into(),
            role: "branch_secretary".into(),
            branch: first.to_string(),
            place: w.community_a.id.to_string(),
            ..Default::default()
        },
    )
    .await
    .expect("opened");
    let liu = domain::auth::Principal::load(db, branch_user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(db, w.community_a.id)
        .await
        .expect("staff of their branch");

    // The form's branches: the grid branches (not the building group) for the secretary, none
    // to choose for the 支部书记.
    let mut choices: Vec<Uuid> = notices::branch_choices(db, &secretary)
        .await
        .expect("choices")
        .iter()
        .map(|p| p.id)
        .collect();
    choices.sort_unstable();
    let mut grid = vec![first, second];
    grid.sort_unstable();
    assert_eq!(choices, grid);
    assert!(notices::branch_choices(db, &liu)
        .await
        .expect("none")
        .is_empty());

    let now = Utc::now();
    let mut to_second = notice("第一支部 ABC 学习 50% 完成", NoticeAudience::Branch, None);
    to_second.branch = second.to_string();
    let own = notices::publish(db, &liu, &to_second, now)
        .await
        .expect("to their own branch");
    for (scope, expected) in [(&zhang, 1), (&li, 1), (&wang, 0)] {
        assert_eq!(notices::unread(db, scope).await.expect("unread"), expected);
    }
    let wide = notices::publish(
        db,
        &liu,
        &notice("全体", NoticeAudience::Members, None),
        now,
    )
    .await;
    assert!(
        matches!(&wide, Err(DomainError::Invalid { field, .. }) if field == "notice_audience"),
        "{wide:?}"
    );

    // The secretary's notices: one to the first branch (the 支部书记 sees it but may not remind
    // or withdraw it), one to everyone (not theirs to see).
    let mut to_first = notice("网格排查", NoticeAudience::Branch, None);
    to_first.branch = first.to_string();
    let theirs = notices::publish(db, &secretary, &to_first, now)
        .await
        .expect("to the first branch");
    let everyone = notices::publish(
        db,
        &secretary,
        &notice("全体党员", NoticeAudience::Members, None),
        now,
    )
    .await
    .expect("to everyone");
    let mut listed: Vec<Uuid> = notices::sent(db, &liu, "", 1)
        .await
        .expect("sent")
        .0
        .iter()
        .map(|n| n.id)
        .collect();
    listed.sort_unstable();
    let may_act: Vec<(Uuid, bool)> = notices::sent(db, &liu, "", 1)
        .await
        .expect("sent")
        .0
        .iter()
        .map(|n| (n.id, n.may_act))
        .collect();
    assert!(may_act.contains(&(theirs, false)) && may_act.contains(&(own, true)));
    let mut branch_notices = vec![theirs, own];
    branch_notices.sort_unstable();
    assert_eq!(
        listed, branch_notices,
        "their branch's notices, not the community's"
    );
    let later = now + Duration::hours(2);
    for id in [theirs, everyone] {
        let remind = notices::remind(db, &liu, id, later).await;
        assert!(
            matches!(remind, Err(DomainError::Forbidden | DomainError::NotFound)),
            "{remind:?}"
        );
        let withdraw = notices::withdraw(db, &liu, id, later).await;
        assert!(
            matches!(
                withdraw,
                Err(DomainError::Forbidden | DomainError::NotFound)
            ),
            "{withdraw:?}"
        );
    }
    assert_eq!(notices::remind(db, &liu, own, later).await.expect("own"), 2);
    let receipts = notices::receipts(db, &liu, own).await.expect("receipts");
    let mut names: Vec<&str> = receipts.people.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["张一", "李二"], "the disabled account got nothing");
    assert_eq!(receipts.notice.recipients, 2);

    // Searching titles: `%` is a character, Latin letters in any case.
    let found = |search: &'static str| {
        let secretary = &secretary;
        async move {
            notices::sent(db, secretary, search, 1)
                .await
                .expect("search")
                .0
                .into_iter()
                .map(|n| n.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("abc").await, vec![own]);
    assert_eq!(found("50%").await, vec![own]);
    assert_eq!(found("%").await, vec![own], "% is a character");
    assert!(
        found("5_").await.is_empty(),
        "_ is a character, not any one"
    );
    assert!(found("xyz").await.is_empty());
}
both_engines!(
    a_branch_secretary_sends_to_their_branch_only,
    branch_notices
);

/// Messages delivered before migration 35 get their notice's 确认收到 date from it (across the
/// street's and the community's tenants): still to confirm, unless confirmed or never asked.
async fn confirm_by_filled_in(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let chen = member_a(db, &w).await;
    let street = w.scope_as(db, "street", w.street.id).await;
    let now = Utc::now();
    let send = |scope: &TenantScope, title: &str, audience, confirm_in| {
        let input = notice(title, audience, confirm_in);
        let scope = scope.clone();
        async move {
            notices::publish(db, &scope, &input, now)
                .await
                .expect("published")
        }
    };
    send(&secretary, "党员大会", NoticeAudience::Members, Some(3)).await;
    send(&secretary, "主题党日", NoticeAudience::Members, Some(5)).await;
    send(&secretary, "学习资料", NoticeAudience::Members, None).await;
    send(&street, "年度总结", NoticeAudience::CommunityStaff, Some(7)).await;
    let first = notices::inbox(db, &chen, 1)
        .await
        .expect("inbox")
        .items
        .into_iter()
        .find(|i| i.title == "主题党日")
        .expect("delivered");
    notices::confirm(db, &chen, first.message_id, now)
        .await
        .expect("confirmed");
    let counts = || async {
        (
            notices::to_confirm(db, &chen).await.expect("member's"),
            notices::to_confirm(db, &secretary).await.expect("staff's"),
        )
    };
    assert_eq!(counts().await, (1, 1));

    migration(&t, CONFIRM_BY_ON_MESSAGES, false).await;
    migration(&t, CONFIRM_BY_ON_MESSAGES, true).await;
    assert_eq!(counts().await, (1, 1), "filled in from the notices");
    let inbox = notices::inbox(db, &chen, 1).await.expect("inbox").items;
    let by = |title: &str| {
        inbox
            .iter()
            .find(|i| i.title == title)
            .map(|i| i.confirm_by)
    };
    assert_eq!(by("党员大会"), Some(Some(today() + Duration::days(3))));
    assert_eq!(by("学习资料"), Some(None));
}
const CONFIRM_BY_ON_MESSAGES: &str = "m20261205_000035_message_confirm_by";
both_engines!(older_messages_keep_their_confirm_date, confirm_by_filled_in);
