namespace Shop.Api.Endpoints;

public static class OrderEndpoints
{
    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders");
        orders.MapGet("/", GetAll);
        orders.MapGet("/{id:guid}", GetById);
        orders.MapMethods("/{id:guid}", new[] { "PUT", "PATCH" }, Update);
    }

    static IResult GetAll(OrderStore store) => Results.Ok(store.All());

    static IResult GetById(Guid id, OrderStore store) => Results.Ok(store.Find(id));

    static IResult Update(Guid id, Order order, OrderStore store) => Results.Ok(store.Save(id, order));
}
