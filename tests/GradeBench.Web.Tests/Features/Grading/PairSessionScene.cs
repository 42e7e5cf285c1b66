using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Time.Testing;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>What <see cref="PairSessionTests"/> build on: the app's real stores and SQLite database, a fake clock for the
/// typing pause, and a side-by-side study of their own per test (<see cref="PairwiseFixture"/> on a copy of the demo
/// study: axes consensus and harm, the latter offering "both unacceptable", reasons accuracy and safety, six pairs).</summary>
sealed class PairSessionScene(GradeBenchFactory factory)
{
    public FakeTimeProvider Clock { get; } = new();
    public IServiceProvider App => factory.Services;

    /// <summary>A side-by-side study whose first rater is the one the tests act as; a second rater holds the same pairs.</summary>
    public async Task<PairwiseStudy> StudyAsync() =>
        await PairwiseFixture.TurnIntoPairwiseAsync(App.GetRequiredService<Database>(), TimeProvider.System, await factory.ImportDemoCopyAsync(),
            GradeBenchFactory.UniqueName("dr-left"), GradeBenchFactory.UniqueName("dr-right"));

    public PairSession NewSession() => new(App.GetRequiredService<StudyQuery>(), App.GetRequiredService<PairwiseStore>(),
        App.GetRequiredService<PairRecorder>(), Clock, App.GetRequiredService<IStringLocalizer<GradingText>>());

    /// <summary>A session of the study's first rater with a recording journal, opened on <paramref name="handle"/>
    /// (default: the first pair not done).</summary>
    public async Task<(PairSession Session, RecordingJournal Journal)> OpenAsync(PairwiseStudy study, string? handle = null, int rater = 0)
    {
        var session = NewSession();
        var journal = new RecordingJournal();
        session.AttachJournal(journal);
        await session.OpenAsync(study.StudyId, study.Raters[rater], handle);
        return (session, journal);
    }

    /// <summary>The first rater's judgement of the pair as stored, by the handle the page names it with.</summary>
    public Task<PairItem?> StoredAsync(PairwiseStudy study, string handle, int rater = 0) =>
        App.GetRequiredService<PairwiseStore>().LoadItemAsync(study.StudyId, study.Raters[rater], handle);

    /// <summary>Whether the first rater's votes on the pair are stored as submitted (any of them).</summary>
    public async Task<bool> AnyVoteSubmittedAsync(PairwiseStudy study, string handle)
    {
        await using var connection = await App.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM pair_votes v JOIN pairs p ON p.id = v.pair_id
                           WHERE p.study_id = @StudyId AND p.handle = @Handle AND v.rater_id = @Rater AND v.status = 'submitted')
            """, new { study.StudyId, Handle = handle, Rater = study.Raters[0] });
    }

    public static async Task ChooseAllAsync(PairSession session)
    {
        await session.ChooseAsync("consensus", PairwiseChoice.Left);
        await session.ChooseAsync("harm", PairwiseChoice.BothBad);
    }
}
