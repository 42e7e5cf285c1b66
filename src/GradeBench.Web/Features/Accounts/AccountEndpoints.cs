using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace GradeBench.Web.Features.Accounts;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");

        account.MapPost("/signin", async ([FromForm] string username, [FromForm] string password, [FromForm] string? returnUrl,
            HttpContext http, UserStore users, IPasswordHasher<User> hasher, SignInThrottle throttle) =>
        {
            username = username.Trim();
            var back = $"returnUrl={Uri.EscapeDataString(LocalOrHome(returnUrl))}";
            if (throttle.LockedFor(username) is { } wait)
                return Results.Redirect($"/signin?error=locked&minutes={Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))}&{back}");
            var user = await users.FindByUsernameAsync(username);
            var verified = user?.PasswordHash is { } hash && hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;
            if (!verified)
            {
                throttle.RecordFailure(username);
                return Results.Redirect($"/signin?error=1&{back}");
            }
            throttle.RecordSuccess(username);
            // Said only to someone who knows the password.
            if (user!.DisabledAt is not null) return Results.Redirect($"/signin?error=disabled&{back}");
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            return Results.LocalRedirect(LocalOrHome(returnUrl));
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        // The one-time link printed on first run: it signs the administrator in, then asks for a password.
        account.MapGet("/link", async ([FromQuery] string? token, HttpContext http, UserStore users) =>
        {
            var userId = token is null ? null : await users.RedeemSignInTokenAsync(token);
            var user = userId is { } id ? await users.FindAsync(id) : null;
            if (user is null) return Results.Redirect("/signin?error=link");
            if (user.DisabledAt is not null) return Results.Redirect("/signin?error=disabled");
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            return Results.LocalRedirect("/account/password");
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        account.MapPost("/password", async ([FromForm] string password, [FromForm] string confirmation,
            HttpContext http, UserStore users, IPasswordHasher<User> hasher) =>
        {
            if (password.Length < UserStore.MinimumPasswordLength) return Results.Redirect("/account/password?error=short");
            if (password != confirmation) return Results.Redirect("/account/password?error=mismatch");
            var user = await users.FindAsync(http.User.Id());
            if (user is null) return Results.Redirect("/signin");
            await users.SetPasswordHashAsync(user.Id, hasher.HashPassword(user, password));
            return Results.LocalRedirect("/?password=set");
        });

        // Creating an account from an invite link: the invite, the account and the membership in one transaction.
        account.MapPost("/invite", async ([FromForm] string token, [FromForm] string username, [FromForm] string displayName,
            [FromForm] string password, [FromForm] string confirmation, HttpContext http, InviteStore invites, IPasswordHasher<User> hasher) =>
        {
            var back = $"/invite/{Uri.EscapeDataString(token)}?error=";
            username = username.Trim();
            if (!BundleReader.IsIdentifier(username) || string.IsNullOrWhiteSpace(displayName)) return Results.Redirect(back + "name");
            if (password.Length < UserStore.MinimumPasswordLength) return Results.Redirect(back + "short");
            if (password != confirmation) return Results.Redirect(back + "mismatch");
            var accepted = await invites.AcceptAsync(token, username, displayName.Trim(), user => hasher.HashPassword(user, password));
            switch (accepted.Outcome)
            {
                case InviteOutcome.UsernameTaken: return Results.Redirect(back + "taken");
                case InviteOutcome.InvalidInvite: return Results.Redirect($"/invite/{Uri.EscapeDataString(token)}");
            }
            await http.SignInAsync(CurrentUser.ToPrincipal(accepted.User!));
            return Results.LocalRedirect("/");
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        account.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync();
            return Results.LocalRedirect("/signin");
        });
    }

    static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
