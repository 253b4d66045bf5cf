//! Criterion benchmarks of the editor on generated credentials files of 10, 1,000 and 10,000
//! profiles (the largest about 2 MB): parse, locate the target, write a session, render.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use mfa_profile::ini::Document;
use mfa_profile::profile::{locate_target, write_session, ProfileName, SessionEntries};
use mfa_profile::{Secret, SessionCredentials};
use std::hint::black_box;

/// A credentials file of `profiles` long-term profiles, with comments, and a managed target
/// `[mfa]` in the middle.
pub fn generate(profiles: usize) -> String {
    let mut text = String::with_capacity(profiles * 200);
    for i in 0..profiles {
        if i == profiles / 2 {
            text.push_str("[mfa]\naws_access_key_id = ASIAOLDEXAMPLE\naws_secret_access_key = old\naws_session_token = old\nexpiration = 2020-01-01T00:00:00Z\nmfa_source_profile = default\n\n");
        }
        text.push_str(&format!(
            "# account {i}: team keys\n[profile-{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010}\nregion = eu-west-1\n\n"
        ));
    }
    text
}

fn session() -> SessionCredentials {
    SessionCredentials {
        access_key_id: "ASIANEWEXAMPLE".into(),
        secret_access_key: Secret::new("newSecretEXAMPLEnewSecretEXAMPLEnewSecre"),
        session_token: Secret::new(
            "FwoGZXIvYXdzEXAMPLEtokenFwoGZXIvYXdzEXAMPLEtokenFwoGZXIvYXdzEXAMPLEtoken",
        ),
        expires_at: 1_893_456_000,
    }
}

fn editor(c: &mut Criterion) {
    let target = ProfileName::new("mfa").unwrap();
    let (session, source) = (session(), ProfileName::default_profile());
    let entries = SessionEntries::plain(&session, &source);
    for profiles in [10usize, 1_000, 10_000] {
        let text = generate(profiles);
        let doc = Document::parse(text.as_bytes()).unwrap();
        let mut group = c.benchmark_group(format!("editor/{profiles}-profiles"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(BenchmarkId::from_parameter("parse"), |b| {
            b.iter(|| Document::parse(black_box(text.as_bytes())).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("locate"), |b| {
            b.iter(|| locate_target(black_box(&doc), &target).unwrap().unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("edit"), |b| {
            b.iter_batched_ref(
                || doc.clone(),
                |doc| {
                    let at = locate_target(doc, &target).unwrap().map(|(id, _)| id);
                    write_session(doc, at, &target, &entries)
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function(BenchmarkId::from_parameter("render"), |b| {
            b.iter(|| black_box(&doc).render())
        });
        group.bench_function(BenchmarkId::from_parameter("parse+edit+render"), |b| {
            b.iter(|| {
                let mut doc = Document::parse(black_box(text.as_bytes())).unwrap();
                let at = locate_target(&doc, &target).unwrap().map(|(id, _)| id);
                write_session(&mut doc, at, &target, &entries);
                doc.render()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, editor);
criterion_main!(benches);
