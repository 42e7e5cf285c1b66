using System.Globalization;
using System.Security.Claims;
using Bunit;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.StudyResults;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>A live (interactive) render context for the results page, as an administrator, on the app's own services
/// and localizer.</summary>
static class ResultsPageContext
{
    public static BunitContext Create(GradeBenchFactory app, long userId)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton(app.Services.GetRequiredService<IStringLocalizerFactory>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var type in new[] { typeof(StudyQuery), typeof(ResultsQuery), typeof(ResultsCache), typeof(JudgeStore), typeof(PairwiseStore), typeof(ChecklistMarksQuery) })
            context.Services.AddSingleton(type, app.Services.GetRequiredService(type));
        var auth = context.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)), new Claim("display_name", "admin"));
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }
}
