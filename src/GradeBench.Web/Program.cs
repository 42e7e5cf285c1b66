using GradeBench.Storage;
using GradeBench.Web.Components;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Calibration;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Export;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Hosting;
using MudBlazor.Services;

// Settings and assets are found next to the app wherever it is started from; the default database,
// ./gradebench.db, stays relative to the directory it was started in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, WebRootPath = AppPaths.WebRoot });
// Framework and component assets come from the build's manifest when not published, in every environment.
builder.WebHost.UseStaticWebAssets();
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--db"] = "GradeBench:Database", ["--redis"] = RedisLink.Setting });
if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://localhost:5080");
builder.AddHostingDefaults();

var databasePath = builder.Configuration["GradeBench:Database"] ?? "gradebench.db";
builder.Services.AddStorage(databasePath);
// In the database, shared by every node; before the work that must run on one node at a time.
builder.Services.AddSharedKeys(builder.Configuration);
builder.Services.AddNodeLeases();
builder.Services.AddAccounts();
builder.Services.AddMarkdown();
builder.Services.AddGrading();
// With GradeBench:Redis, one of several nodes: live events cross them (docs/live.md, Several nodes).
builder.Services.AddLive(builder.Configuration[RedisLink.Setting]);
builder.Services.AddStudies();
builder.Services.AddDashboard();
builder.Services.AddAdjudication();
builder.Services.AddCalibration();
// The API's own description, anonymous at /openapi/v1.json: it documents routes and shapes, never data.
builder.Services.AddOpenApi(GradingEndpoints.DescribeApi);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddLanguages(builder.Configuration);
builder.Services.AddHostedService<ListeningAddressRecorder>();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
// Behind a TLS-terminating proxy on this machine (or one listed in GradeBench:KnownProxies), requests count as HTTPS and
// come from the real client: cookies get Secure and the sign-in back-off and rate limit see each address.
builder.Services.AddKnownProxies();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseForwardedHeaders();
// Live connections (hub, Blazor circuit) only from the app's own pages or programs without a browser.
app.UseAllowedOrigins();

app.UseErrorPages();
app.UseSecurityHeaders();
// Our own files (the root wwwroot) are public and served before routing, so no endpoint can shadow them.
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
// After authentication: a signed-in user's saved language comes first.
app.UseLanguages();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapAccountEndpoints();
app.MapLanguageSwitch();
app.MapGradingEndpoints();
app.MapPairEndpoints();
app.MapExportEndpoints();
app.MapLive();
app.MapOpenApi().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
