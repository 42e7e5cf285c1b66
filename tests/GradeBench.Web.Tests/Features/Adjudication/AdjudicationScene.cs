using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>A copy of the demo study of one test's own in the app of a shared factory (a scene is made per test), with
/// ways to sign in as its administrator or a pilot rater and to find adjudication items a given rater did or did not
/// rate.</summary>
sealed class AdjudicationScene(GradeBenchFactory factory)
{
    public const string Password = GradeBenchFactory.MemberPassword;
    Task<(long Id, string Slug)>? _study;

    public IServiceProvider Services => factory.Services;

    /// <summary>This scene's study, imported on first use with the pilot raters and their ratings.</summary>
    public async Task<long> StudyIdAsync() => (await (_study ??= factory.ImportNamedDemoCopyAsync())).Id;

    /// <summary>The scene study's pilot rater by their name in the bundle (rater-1 …), else the account of that user name.</summary>
    public async Task<User> UserAsync(string name)
    {
        var users = Services.GetRequiredService<UserStore>();
        var pilot = PilotRaters.AccountName((await (_study ??= factory.ImportNamedDemoCopyAsync())).Slug, name);
        return (await users.FindByUsernameAsync(pilot) ?? await users.FindByUsernameAsync(name))!;
    }

    /// <summary>Moves the study to adjudication through the app's own control (which builds the queue), once.</summary>
    public async Task<long> InAdjudicationAsync()
    {
        var studyId = await StudyIdAsync();
        var admin = await factory.AdministratorAsync();
        var status = await Services.GetRequiredService<StudyLifecycleStore>().StatusAsync(studyId);
        if (status!.State == StudyState.Open)
            Assert.NotNull((await Services.GetRequiredService<StudyRecorder>().ChangeStateAsync(studyId, admin.Id, StudyState.Adjudication)).Changed);
        return studyId;
    }

    public async Task<long> UserIdAsync(string username) => (await UserAsync(username)).Id;

    public async Task<HttpClient> SignInAsync(string username)
    {
        var users = Services.GetRequiredService<UserStore>();
        var user = await UserAsync(username);
        await users.SetPasswordHashAsync(user.Id, Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, Password));
        var client = factory.CreateBrowserClient();
        await SignInTests.PostSignInAsync(client, user.Username, Password);
        return client;
    }

    public Task<HttpClient> SignInAdministratorAsync() => factory.SignedInAdministratorAsync();

    /// <summary>The queued items of responses the rater submitted ratings for (true) or not (false).</summary>
    public async Task<IReadOnlyList<long>> ItemsAsync(long studyId, string rater, bool rated)
    {
        var raterId = (await UserAsync(rater)).Id;
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.QueryAsync<long>("""
            SELECT i.id FROM adjudication_items i
            WHERE i.study_id = @StudyId AND EXISTS (
                SELECT 1 FROM ratings g
                WHERE g.response_id = i.response_id AND g.rater_id = @RaterId AND g.status = 'submitted') = @Rated
            ORDER BY i.id
            """, new { StudyId = studyId, RaterId = raterId, Rated = rated })).AsList();
    }

    /// <summary>The handle of the item's response: item pages and the hub name items by it.</summary>
    public async Task<string> HandleAsync(long itemId)
    {
        await using var connection = await Services.GetRequiredService<GradeBench.Storage.Database>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT r.handle FROM adjudication_items i JOIN responses r ON r.id = i.response_id WHERE i.id = @ItemId", new { ItemId = itemId }) ?? "";
    }

    public Task<IReadOnlyList<AdjudicationItemSummary>?> QueueAsync(long studyId, long userId) =>
        Services.GetRequiredService<AdjudicationStore>().ListAsync(studyId, userId);
}
