namespace Shop.Api;

public static class FileHandlers
{
    public static IResult Download(string path) => Results.File(path);

    public static IResult Upload(IFormFile file) => Results.Created($"/files/{file.FileName}", null);
}
