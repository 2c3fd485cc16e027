// axum routing as the axum docs (Router::route, nest, merge) show it.
use axum::{
    routing::{get, post},
    Router,
};

mod admin;
mod handlers;

async fn root() -> &'static str {
    "Hello, World!"
}

fn app() -> Router {
    Router::new()
        .route("/", get(root))
        .route("/users", get(handlers::list_users).post(handlers::create_user))
        .route("/users/:id", get(handlers::show_user).delete(handlers::delete_user))
        .route("/files/*path", get(handlers::serve_file))
        .route("/webhook", post(handlers::webhook))
        .nest("/admin", admin::routes())
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app()).await.unwrap();
}
