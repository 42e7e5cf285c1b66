namespace GradeBench.Web.Tests.Hosting;

public sealed class StaticAssetsTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Theory]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    public async Task AssetIsServedToAnonymousVisitors(string path, string contentType)
    {
        var response = await factory.CreateBrowserClient().GetAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OurStylesheetComesFromTheRepositoryRootWwwroot()
    {
        var served = await factory.CreateBrowserClient().GetStringAsync("/css/app.css");

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "wwwroot", "css", "app.css")), served);
    }

    [Fact]
    public async Task HealthzAnswersOkOnceTheDatabaseIsReachable()
    {
        var response = await factory.CreateBrowserClient().GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
