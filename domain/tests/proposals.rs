//! Members keep their own details current: a member proposes, the community's staff approve
//! (the roster changes) or return with a reason; one open proposal at a time; nobody else sees
//! or decides them, and a refusal writes nothing.
use domain::both_engines;
use domain::kinds::ProposalStatus;
use domain::members::{self, ProposalInput};
use domain::tenancy::Commit;
use domain::testing::{member_a_record, world, TestDb};
use domain::DomainError;

fn proposal(phone: &str, building: &str) -> ProposalInput {
    ProposalInput {
        phone: phone.into(),
        building: building.into(),
        ..Default::default()
    }
}

async fn proposing_and_deciding(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let a = w.community_a.id;
    let tx = w.write_as(db, "secretary_a", a).await;
    let me = member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let member = w.scope_as(db, "member_a", a).await;

    // Refused, nothing written.
    let tx = member.write(db).await.expect("tx");
    assert_eq!(
        members::propose(&tx, &ProposalInput::default()).await,
        Err(DomainError::invalid("proposal", "nothing_changed"))
    );
    assert_eq!(
        members::propose(&tx, &proposal("12345", "")).await,
        Err(DomainError::invalid("phone", "bad_phone"))
    );
    assert_eq!(
        members::propose(&tx, &proposal("", &"楼".repeat(40))).await,
        Err(DomainError::invalid("building", "too_long"))
    );
    drop(tx);
    let tx = member.write(db).await.expect("tx");
    let first = members::propose(&tx, &proposal("13912345678", "7号楼"))
        .await
        .expect("proposed");
    assert_eq!(
        members::propose(&tx, &proposal("", "8号楼")).await,
        Err(DomainError::invalid("proposal", "already_open"))
    );
    // A member decides nothing, and sees no one else's.
    assert_eq!(
        members::decide(&tx, first, true, "").await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        members::open_proposals(&tx).await.map(|p| p.len()),
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");

    // Staff of another community see none of it and decide nothing.
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let tx = w.write_as(db, login, node).await;
        assert_eq!(
            members::open_proposals(&tx).await.map(|p| p.len()),
            Ok(0),
            "{login}"
        );
        assert_eq!(
            members::decide(&tx, first, true, "").await,
            Err(DomainError::NotFound),
            "{login}"
        );
        tx.commit().await.expect("commit");
    }

    // A's secretary: returning needs a reason; approving changes the roster.
    let tx = w.write_as(db, "secretary_a", a).await;
    let open = members::open_proposals(&tx).await.expect("open");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].member_id, me);
    let fields: Vec<&str> = open[0].changes.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(fields, vec!["phone", "building"]);
    assert_eq!(
        open[0].changes[0].2, "139****5678",
        "phones masked for staff"
    );
    assert_eq!(
        members::decide(&tx, first, false, " ").await,
        Err(DomainError::invalid("reason", "required"))
    );
    members::decide(&tx, first, true, "")
        .await
        .expect("approved");
    assert_eq!(
        members::decide(&tx, first, false, "晚了").await,
        Err(DomainError::invalid("proposal", "already_decided"))
    );
    let row = members::get(&tx, me).await.expect("member");
    assert_eq!(row.member.building.as_deref(), Some("7号楼"));
    tx.commit().await.expect("commit");

    // Again, returned this time; the member sees where each stands.
    let tx = member.write(db).await.expect("tx");
    let second = members::propose(
        &tx,
        &ProposalInput {
            current_city: "深圳市".into(),
            ..Default::default()
        },
    )
    .await
    .expect("proposed");
    tx.commit().await.expect("commit");
    let tx = w.write_as(db, "secretary_a", a).await;
    members::decide(&tx, second, false, "请先联系社区登记流动党员")
        .await
        .expect("returned");
    let history: Vec<String> = members::history(&tx, me)
        .await
        .expect("history")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    tx.commit().await.expect("commit");
    for kind in ["proposal_made", "proposal_approved", "proposal_returned"] {
        assert!(history.iter().any(|k| k == kind), "{kind} in {history:?}");
    }
    let tx = member.read(db).await.expect("tx");
    let mine = members::my_proposals(&tx).await.expect("mine");
    tx.commit().await.expect("commit");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].status, ProposalStatus::Returned);
    assert_eq!(mine[0].reason.as_deref(), Some("请先联系社区登记流动党员"));
    assert_eq!(mine[1].status, ProposalStatus::Approved);
    let own = w.scope_as(db, "member_a", a).await;
    let tx = own.read(db).await.expect("tx");
    let record = members::own_record(&tx)
        .await
        .expect("own")
        .expect("record");
    tx.commit().await.expect("commit");
    assert_eq!(
        record.member.phone.as_deref(),
        Some("13912345678"),
        "the member sees their own number"
    );
}
both_engines!(members_propose_and_staff_decide, proposing_and_deciding);
