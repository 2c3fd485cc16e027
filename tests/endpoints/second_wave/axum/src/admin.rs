use axum::{routing::get, Router};

pub fn routes() -> Router {
    Router::new().route("/stats/{period}", get(stats))
}

async fn stats() -> &'static str {
    "stats"
}
