use axum::extract::Path;

pub async fn list_users() -> String {
    String::from("[]")
}

pub async fn create_user() -> String {
    String::from("{}")
}

pub async fn show_user(Path(id): Path<u64>) -> String {
    id.to_string()
}

pub async fn delete_user(Path(id): Path<u64>) -> String {
    id.to_string()
}

pub async fn serve_file(Path(path): Path<String>) -> String {
    path
}

pub async fn webhook(body: String) -> String {
    body
}
