using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = AppPaths.WebRoot });
// Framework and component assets come from the build's manifest when not published, in every environment.
builder.WebHost.UseStaticWebAssets();
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--db"] = "GradeBench:Database" });
if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://localhost:5080");

builder.Services.AddStorage(builder.Configuration["GradeBench:Database"] ?? "gradebench.db");
builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
builder.Services.AddHostedService<SignInLinkAnnouncer>();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
{
    options.LoginPath = "/signin";
    options.Cookie.Name = "gradebench.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.ExpireTimeSpan = TimeSpan.FromHours(12);
    options.SlidingExpiration = true;
});
// Everything needs a signed-in user unless it says otherwise.
builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();
await app.PrepareDatabaseAsync();

if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Our own files (the root wwwroot) are public and served before routing, so no endpoint can shadow them.
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
