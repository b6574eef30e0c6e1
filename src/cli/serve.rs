//! `mfaspec serve`: the reference endpoint on an address until SIGINT or SIGTERM.

use anyhow::Context as _;

use super::args::ServeArgs;

pub fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let seed = match &args.seed {
        Some(path) => Some(std::sync::Arc::new(mfaspec::reference::seed::Seed::load(
            path,
        )?)),
        None => None,
    };
    super::support::runtime()?.block_on(async {
        let options = mfaspec::reference::Options {
            region: args.region,
            clock_control: args.clock_control,
            faults: args.faults,
            state: args.state.clone(),
            cors: args.cors_origins.clone(),
            seed: seed.clone(),
            phone: args.phone,
            tls: match (args.tls_addr, &args.tls_cert, &args.tls_key) {
                (Some(addr), Some(cert), Some(key)) => Some(mfaspec::reference::tls::TlsOptions {
                    addr,
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ => None,
            },
            ..mfaspec::reference::Options::default()
        };
        let running = mfaspec::reference::Running::start(args.addr, &options).await?;
        // The handlers are installed before the address is announced, so that a signal sent
        // by whoever read it is never the default (fatal) one.
        let stop = mfaspec::runner::interrupt_signal();
        eprintln!(
            "mfaspec serve: listening on {}{}",
            running.url(),
            match (args.clock_control, args.phone) {
                (true, true) => " (clock control at /_mfaspec/clock, the phone at /_mfaspec/phone)",
                (true, false) => " (clock control at /_mfaspec/clock)",
                (false, true) => " (the phone at /_mfaspec/phone)",
                (false, false) => "",
            }
        );
        if let Some(addr) = running.tls_addr {
            eprintln!("mfaspec serve: HTTPS on https://{addr}");
        }
        if let Some(seed) = &seed {
            let (pools, users) = seed.counts();
            eprintln!(
                "mfaspec serve: {}",
                if running.endpoint.resumed() {
                    "seed not applied: the state file held state already".to_owned()
                } else {
                    format!("seeded {pools} pools and {users} users")
                }
            );
        }
        if let Some(path) = &args.state {
            eprintln!(
                "mfaspec serve: state in {} ({})",
                path.display(),
                if running.endpoint.resumed() {
                    "resumed"
                } else {
                    "new"
                }
            );
        }
        stop.await;
        match running.endpoint.injected() {
            Some((throttled, failed)) => eprintln!(
                "mfaspec serve: shutting down (injected {throttled} throttles and {failed} server errors)"
            ),
            None => eprintln!("mfaspec serve: shutting down"),
        }
        running.stop().await.context("serving")?;
        Ok(())
    })
}
