// Attribute routing as "Routing to controller actions in ASP.NET Core" shows it.
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers
{
    [ApiController]
    [Route("api/[controller]")]
    public class UsersController : ControllerBase
    {
        private readonly UserStore _store;

        public UsersController(UserStore store) => _store = store;

        [HttpGet]
        public IActionResult List() => Ok(_store.All());

        [HttpGet("{id:int}")]
        public IActionResult Get(int id) => Ok(_store.Find(id));

        [HttpPost]
        public IActionResult Create(User user) => CreatedAtAction(nameof(Get), new { id = user.Id }, user);

        [HttpDelete("{id}")]
        public IActionResult Delete(int id)
        {
            _store.Remove(id);
            return NoContent();
        }

        [Route("search")]
        [HttpGet]
        public IActionResult Search(string q) => Ok(_store.Search(q));

        [HttpGet("[action]")]
        public IActionResult Export() => File(_store.Csv(), "text/csv");

        [HttpGet("/health")]
        public IActionResult Health() => Ok();
    }
}
