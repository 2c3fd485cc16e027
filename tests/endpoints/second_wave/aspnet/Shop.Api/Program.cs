// Minimal APIs as the ASP.NET Core "Minimal APIs" and "Route handlers" docs show them.
using Shop.Api.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();

var app = builder.Build();

app.MapGet("/ping", () => "pong");

var files = app.MapGroup("/files");
files.MapGet("/{*path}", FileHandlers.Download);
files.MapPost("/", FileHandlers.Upload);

app.MapControllers();
app.MapOrderEndpoints();

app.Run();
