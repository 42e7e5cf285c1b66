using System.Globalization;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using GradeBench.Web.Components;
using MudBlazor;

namespace GradeBench.Web.Hosting;

/// <summary>The interface languages (docs/localization.md). Each request's language is, in order: the signed-in
/// user's saved choice, the language switch's cookie, the browser's <c>Accept-Language</c>, else English. Text comes
/// from the <c>.resx</c> files beside each feature through <see cref="IStringLocalizer{T}"/>.</summary>
public static class Languages
{
    public const string English = "en";
    public const string Chinese = "zh-CN";
    /// <summary>A test-only language: every localized string wrapped in <see cref="PseudoStart"/> … <see cref="PseudoEnd"/>,
    /// so that a page walk finds text that did not come through a localizer.</summary>
    public const string Pseudo = "qps-Ploc";
    public const string PseudoStart = "⟦";
    public const string PseudoEnd = "⟧";
    /// <summary>Which languages the switch offers and requests may ask for; the pseudo-locale only when listed here.</summary>
    public const string Setting = "GradeBench:Languages";
    const string SavedLanguageItem = "gradebench.language";

    public static IServiceCollection AddLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        var offered = Offered(configuration);
        services.AddLocalization();
        if (offered.Contains(Pseudo))
            services.AddSingleton<IStringLocalizerFactory>(provider => new PseudoLocalizerFactory(
                ActivatorUtilities.CreateInstance<ResourceManagerStringLocalizerFactory>(provider)));
        services.AddTransient<MudLocalizer, ResxMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(English).AddSupportedCultures([.. offered]).AddSupportedUICultures([.. offered]);
            options.ApplyCurrentCultureToResponseHeaders = true;
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(
                    context.Items[SavedLanguageItem] is string saved ? new ProviderCultureResult(saved) : null)),
                new CookieRequestCultureProvider(),
                new CustomRequestCultureProvider(context => Task.FromResult(FromBrowser(context.Request, offered))),
            ];
        });
        return services;
    }

    /// <summary>The languages configured (English first); English and Chinese by default.</summary>
    public static IReadOnlyList<string> Offered(IConfiguration configuration)
    {
        var configured = configuration.GetSection(Setting).Get<string[]>() ?? [English, Chinese];
        return [English, .. configured.Where(l => l != English).Distinct()];
    }

    /// <summary>The first language of the browser's <c>Accept-Language</c>, by quality, that is offered. Chinese written in
    /// simplified characters (<c>zh</c>, <c>zh-CN</c>, <c>zh-SG</c>, <c>zh-Hans…</c>) is zh-CN; traditional
    /// (<c>zh-TW</c>, <c>zh-HK</c>, <c>zh-Hant…</c>) is not offered and falls to the next preference.</summary>
    static ProviderCultureResult? FromBrowser(HttpRequest request, IReadOnlyList<string> offered)
    {
        foreach (var tag in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value ?? ""))
        {
            var language = tag.Equals("zh", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("zh-CN", StringComparison.OrdinalIgnoreCase)
                || tag.StartsWith("zh-SG", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("zh-Hans", StringComparison.OrdinalIgnoreCase) ? Chinese
                : tag.Split('-')[0].Equals("en", StringComparison.OrdinalIgnoreCase) ? English
                : offered.FirstOrDefault(o => o.Equals(tag, StringComparison.OrdinalIgnoreCase));
            if (language is not null && offered.Contains(language)) return new ProviderCultureResult(language);
        }
        return null;
    }

    /// <summary>Remembers the saved language of the user a cookie sign-in belongs to, read with the account on every
    /// request (see AccountServices), for the first of the culture providers.</summary>
    public static void NoteSavedLanguage(HttpContext context, string? language)
    {
        if (language is not null) context.Items[SavedLanguageItem] = language;
    }

    /// <summary>After authentication, so that the saved choice of the signed-in user is known.</summary>
    public static IApplicationBuilder UseLanguages(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary><c>POST /language</c> (the switch): remembers the choice in a cookie for a year and, for a signed-in
    /// user, in their account; then back to the page it came from.</summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder app)
    {
        app.MapPost("/language", async ([FromForm] string culture, [FromForm] string? returnUrl, HttpContext http, IAntiforgery antiforgery,
            UserStore users, IConfiguration configuration) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http) || !Offered(configuration).Contains(culture)) return Results.BadRequest();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
            if (http.User.Identity?.IsAuthenticated == true) await users.SetLanguageAsync(http.User.Id(), culture);
            return Results.LocalRedirect(ReturnAddress.Local(returnUrl) ?? "/");
        }).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    /// <summary>A language's own name, as a switch shows it, so that anyone finds theirs whatever the page's language.</summary>
    public static string OwnName(string language) => language switch
    {
        English => "English",
        Chinese => "简体中文",
        _ => CultureInfo.GetCultureInfo(language).NativeName,
    };

    /// <summary>Wraps every string of every localizer in the pseudo-locale's markers while the UI culture is
    /// <see cref="Pseudo"/>; otherwise it is the resource manager's localizer unchanged.</summary>
    sealed class PseudoLocalizerFactory(IStringLocalizerFactory inner) : IStringLocalizerFactory
    {
        public IStringLocalizer Create(Type resourceSource) => new PseudoLocalizer(inner.Create(resourceSource));

        public IStringLocalizer Create(string baseName, string location) => new PseudoLocalizer(inner.Create(baseName, location));
    }

    sealed class PseudoLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Wrap(inner[name]);

        public LocalizedString this[string name, params object[] arguments] => Wrap(inner[name, arguments]);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures).Select(Wrap);

        static LocalizedString Wrap(LocalizedString text) =>
            !CultureInfo.CurrentUICulture.Name.Equals(Pseudo, StringComparison.OrdinalIgnoreCase) || text.ResourceNotFound ? text
                : new LocalizedString(text.Name, PseudoStart + text.Value + PseudoEnd, false, text.SearchedLocation);
    }
}
