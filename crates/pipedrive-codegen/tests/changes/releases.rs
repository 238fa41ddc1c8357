//! Releases: documents and tags, the order and rendering of a changelog section, the verdict,
//! a real spec update (2026-01-14 to 2026-08-18), and generator revisions in the history.

#[allow(clippy::wildcard_imports)]
use super::*;

#[test]
fn documents_and_tags() {
    assert_eq!(
        edited(|api| {
            if let Some(doc) = api.documents.first_mut() {
                doc.version = "2.1.0".to_owned();
            }
        }),
        change(Severity::Patch, "API `v2`: document version 2.1.0 (was 2.0.0)")
    );
    assert_eq!(
        edited(|api| {
            if let Some(tag) = api.tags.first_mut() {
                tag.description = Some("Things.".to_owned());
            }
        }),
        change(Severity::Patch, "Tag `v2 Things`: description changed")
    );
    let old = base();
    let mut new = old.clone();
    let mut deals = new.tags.first().cloned().unwrap_or_else(|| panic!("no tag"));
    deals.name = "Deals".to_owned();
    deals.module = "deals".to_owned();
    deals.struct_name = "Deals".to_owned();
    new.tags.push(deals);
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Minor, "Added tag `v2 Deals` (`client.v2().deals()`)")
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(Severity::Major, "Removed tag `v2 Deals` (`client.v2().deals()`)")
    );
}

// ---- order and rendering ----

#[test]
fn changes_are_sorted_by_severity_then_subject_and_render_the_same_every_time() {
    let old = base();
    let mut new = base_with_delete();
    op_mut(&mut new, "getThings").token_cost = Some(3);
    fields_mut(&mut new, "Thing").push(new_field("color", STRING, false));
    type_mut(&mut new, "Thing").description = Some("A thing.".to_owned());
    op_mut(&mut new, "addThing")
        .parameters
        .push(new_param("dry_run", TypeRef::Scalar(Scalar::Bool), false));
    new.operations.retain(|o| o.id != "getThing");
    // The comparison must not depend on the order of the lists it is given.
    let mut shuffled = new.clone();
    shuffled.operations.reverse();
    shuffled.types.reverse();

    let changes = compare(&old, &new);
    assert_eq!(compare(&old, &shuffled), changes);
    assert_eq!(changes.severity(), Some(Severity::Major));
    let subjects: Vec<&Subject> = changes.changes().iter().map(|c| &c.subject).collect();
    assert_eq!(
        subjects.first(),
        Some(&&Subject::Operation {
            api: "v2".to_owned(),
            id: "getThing".to_owned()
        })
    );
    let markdown = changes.to_markdown("pipedrive 0.2.0");
    assert_eq!(markdown, changes.to_markdown("pipedrive 0.2.0"));
    assert_eq!(
        markdown,
        "## pipedrive 0.2.0

Breaking changes (semver major).

### Breaking

- Removed operation `v2 getThing` (`GET /api/v2/things/{id}`)

### Non-breaking

- `v2 addThing`: new optional parameter `dry_run` (`bool`)
- Added operation `v2 deleteThing` (`DELETE /api/v2/things/{id}`)
- Struct `v2 Thing`: new field `color` (`string`)

### Documentation and metadata

- `v2 getThings`: token cost is now 3 (was 5)
- Struct `v2 Thing`: description changed
"
    );
}

#[test]
fn verdicts_follow_the_highest_severity() {
    let minor = compare(&base(), &base_with_delete());
    assert_eq!(minor.severity(), Some(Severity::Minor));
    assert!(
        minor
            .to_markdown("x")
            .starts_with("## x\n\nAdditions (semver minor).\n\n### Non-breaking\n")
    );
    let old = base();
    let mut new = old.clone();
    op_mut(&mut new, "getThings").token_cost = Some(3);
    let patch = compare(&old, &new);
    assert_eq!(patch.severity(), Some(Severity::Patch));
    assert!(
        patch
            .to_markdown("x")
            .starts_with("## x\n\nDocumentation and metadata only (semver patch).\n\n### Documentation and metadata\n")
    );
    assert_eq!(next_version("0.1.0", patch.severity()), Ok("0.1.1".to_owned()));
    assert_eq!(next_version("1.4.2", minor.severity()), Ok("1.5.0".to_owned()));
}

// ---- the real update: Pipedrive's v1 document of 2026-01-14 → 2026-08-18 ----

#[test]
fn the_2026_08_18_update_removes_six_deprecated_v1_stages_operations() {
    let (before, after) = stages_before_and_after();
    let changes = compare(&before, &after);

    let removed: Vec<(&str, &str)> = changes
        .changes()
        .iter()
        .filter(|c| c.message.starts_with("Removed operation"))
        .filter_map(|c| match &c.subject {
            Subject::Operation { api, id } => Some((api.as_str(), id.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        [
            ("v1", "addStage"),
            ("v1", "deleteStage"),
            ("v1", "deleteStages"),
            ("v1", "getStage"),
            ("v1", "getStages"),
            ("v1", "updateStage"),
        ]
    );
    // Every removed operation was deprecated before the update.
    for (_, id) in &removed {
        let op = before.operations.iter().find(|o| o.api == "v1" && o.id == *id);
        assert!(op.is_some_and(|o| o.deprecation.is_some()), "{id} was not deprecated");
    }
    // The types only those operations used go with them; `DealStrict` (getStageDeals) stays.
    let removed_types: Vec<&str> = changes
        .changes()
        .iter()
        .filter(|c| c.message.starts_with("Removed ") && !c.message.starts_with("Removed operation"))
        .filter_map(|c| match &c.subject {
            Subject::Type { api, name } if api == "v1" => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        removed_types,
        [
            "AddStageRequest",
            "DeleteStageResponse",
            "DeleteStagesResponse",
            "Stage",
            "StageWithPipelineInfo",
            "UpdateStageRequest",
        ]
    );
    assert!(after.types.iter().any(|t| t.api == "v1" && t.name == "DealStrict"));
    assert_eq!(
        changes.changes().len(),
        removed.len() + removed_types.len(),
        "{:#?}",
        changes.changes()
    );
    // Nothing about v2 changed, and `getStageDeals`, the one v1 Stages operation kept, is as it was.
    assert!(
        changes.changes().iter().all(|c| match &c.subject {
            Subject::Document { api } | Subject::Tag { api, .. } | Subject::Type { api, .. } => api == "v1",
            Subject::Operation { api, id } => api == "v1" && id != "getStageDeals",
            Subject::Generator { .. } => false,
        }),
        "{:#?}",
        changes.changes()
    );
    assert_eq!(changes.severity(), Some(Severity::Major));
    assert_eq!(next_version("0.1.0", changes.severity()), Ok("0.2.0".to_owned()));

    insta::assert_snapshot!(
        "stages_2026_01_14_to_2026_08_18",
        changes.to_markdown("pipedrive 0.2.0: Pipedrive API v1 document of 2026-08-18")
    );
}

/// A generation made before the generator's last change: the same IR, an older revision.
fn history(api: Api, generator_revision: u32) -> History {
    History {
        api,
        generator_revision,
        version: "0.3.0".to_owned(),
        changelog: String::new(),
    }
}

#[test]
fn generator_changes_since_the_old_revision_are_listed_and_bump_the_version() {
    let api = base();
    let changes = compare_generations(&api, 0, &api);
    // Every entry, most severe first and otherwise in revision order.
    let mut expected: Vec<(Severity, String)> = GENERATOR_CHANGES
        .iter()
        .map(|c| (c.severity, c.message.to_owned()))
        .collect();
    expected.sort_by_key(|(severity, _)| std::cmp::Reverse(*severity));
    assert!(!expected.is_empty());
    assert_eq!(listed(&changes), expected);
    assert!(
        changes
            .changes()
            .iter()
            .all(|c| matches!(c.subject, Subject::Generator { .. }))
    );

    // The release: version bumped by the most severe entry, and a changelog section naming it.
    let release = plan_release("pipedrive", Some(&history(api.clone(), 0)), &api).unwrap_or_else(|e| panic!("{e}"));
    let severity = GENERATOR_CHANGES.iter().map(|c| c.severity).max();
    assert_eq!(Ok(release.version.clone()), next_version("0.3.0", severity));
    assert_ne!(release.version, "0.3.0");
    let first = GENERATOR_CHANGES[0].message;
    assert!(
        release.changelog.contains(&format!("## pipedrive {}", release.version)),
        "{}",
        release.changelog
    );
    assert!(
        release.changelog.contains(&format!("- {first}\n")),
        "{}",
        release.changelog
    );

    // Made with this generator: nothing to report, the version stays.
    let current = current_revision();
    assert!(compare_generations(&api, current, &api).is_empty());
    let release =
        plan_release("pipedrive", Some(&history(api.clone(), current)), &api).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(release.version, "0.3.0");
    assert!(release.changes.is_empty());

    // Spec changes and generator changes together: both listed, most severe first.
    let mut renamed = api.clone();
    op_mut(&mut renamed, "getThings").summary = Some("Get every thing".to_owned());
    let both = compare_generations(&api, 0, &renamed);
    assert_eq!(
        both.changes().len(),
        GENERATOR_CHANGES.len() + 1,
        "{:#?}",
        both.changes()
    );
    assert!(
        both.changes()
            .iter()
            .any(|c| matches!(c.subject, Subject::Operation { .. }))
    );
}

#[test]
fn api_json_records_the_generator_revision_and_reads_none_as_zero() {
    let dir = std::env::temp_dir().join(format!("pipedrive-codegen-revision-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"pipedrive\"\nversion = \"0.3.0\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let api = base();

    let text = ir_file(&api).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.contains(&format!("\"generator_revision\": {}", current_revision())),
        "{text}"
    );
    std::fs::write(dir.join(IR_FILE), &text).unwrap_or_else(|e| panic!("{e}"));
    let read = read_history(&dir).unwrap_or_else(|e| panic!("{e}"));
    let read = read.unwrap_or_else(|| panic!("no history read"));
    assert_eq!(read.generator_revision, current_revision());
    assert_eq!(read.version, "0.3.0");
    assert_eq!(read.api, api);

    // An api.json from before revisions were recorded has had none of the generator's changes.
    let older = text.replace(&format!("\"generator_revision\": {},", current_revision()), "");
    assert_ne!(older, text);
    std::fs::write(dir.join(IR_FILE), &older).unwrap_or_else(|e| panic!("{e}"));
    let read = read_history(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.map(|h| h.generator_revision), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
