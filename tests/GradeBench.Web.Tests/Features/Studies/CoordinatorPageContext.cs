using System.Globalization;
using System.Security.Claims;
using Bunit;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Studies;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Studies;

/// <summary>A live (interactive) render of the studies pages as a coordinator, on the app's own stores and localizer.</summary>
sealed class CoordinatorPageContext : BunitContext
{
    public CoordinatorPageContext(IServiceProvider app, long userId)
    {
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton(app.GetRequiredService<IStringLocalizerFactory>());
        JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var type in new[] { typeof(StudyQuery), typeof(StudyImporter), typeof(MarkdownRenderer), typeof(StudySetupStore),
            typeof(StudyRecorder), typeof(InviteStore) })
            Services.AddSingleton(type, app.GetRequiredService(type));
        var auth = AddAuthorization();
        auth.SetAuthorized("coordinator");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }
}
