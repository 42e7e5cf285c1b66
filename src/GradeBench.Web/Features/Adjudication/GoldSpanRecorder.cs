using System.Text;
using GradeBench.Core.Agreement;
using GradeBench.Core.Notes;
using GradeBench.Storage.Notes;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>What an upload of gold-spans.csv did: <see cref="Imported"/> decisions, or, with nothing changed, the
/// problem as <c>FILE:LINE: field: message</c> (as the command line says it), or refused (<see cref="Refused"/>: the
/// user does not coordinate the study), or refused as the study is not in adjudication (<see cref="NotInAdjudication"/>).</summary>
public sealed record GoldUpload(int Imported, string? Problem, bool Refused = false, bool NotInAdjudication = false);

/// <summary>Every write of the gold pages goes through here: the stores check who may do it and commit, then every open
/// gold page of the study hears of it (<see cref="GoldSpansChanged"/>, to its coordinators only).</summary>
public sealed class GoldSpanRecorder(GoldSpanStore store, GoldSpanImport import, StudyEvents events, TimeProvider clock)
{
    /// <summary>The largest gold-spans.csv the page takes: a gold set is a few rows per note.</summary>
    public const long MaxUploadBytes = 10 * 1024 * 1024;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<GoldSpanOutcome> AcceptAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey, long? spanId) =>
        Announce(studyId, caseSlug, userId, "decided", (await store.AcceptAsync(studyId, caseSlug, userId, groupKey, spanId)).Outcome);

    public async Task<GoldSpanOutcome> EditAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey, long? fromSpanId,
        long labelId, int start, int end, IReadOnlyDictionary<long, string>? attributes) =>
        Announce(studyId, caseSlug, userId, "decided",
            (await store.EditAsync(studyId, caseSlug, userId, groupKey, fromSpanId, labelId, start, end, attributes)).Outcome);

    public async Task<GoldSpanOutcome> RejectAsync(long studyId, string caseSlug, long userId, IReadOnlyList<long> groupKey) =>
        Announce(studyId, caseSlug, userId, "decided", (await store.RejectAsync(studyId, caseSlug, userId, groupKey)).Outcome);

    public async Task<GoldSpanOutcome> UndoAsync(long studyId, string caseSlug, long userId, long goldSpanId) =>
        Announce(studyId, caseSlug, userId, "undone", await store.UndoAsync(studyId, userId, goldSpanId));

    /// <summary>Replaces the study's gold set with the file at <paramref name="path"/> (named <paramref name="fileName"/>
    /// in problems), checked as <c>gradebench import-gold-spans</c> checks it, all or nothing.</summary>
    public async Task<GoldUpload> ImportAsync(long studyId, long userId, string path, string fileName, CancellationToken ct = default)
    {
        if (new FileInfo(path).Length > MaxUploadBytes) return new GoldUpload(0, $"{fileName}:0: the file is larger than {MaxUploadBytes / (1024 * 1024)} MB");
        IReadOnlyList<GoldSpanRecord> records;
        try
        {
            using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            records = GoldSpansCsv.Read(reader);
        }
        catch (RatingsCsvException e)
        {
            return new GoldUpload(0, $"{fileName}:{e.Line}: {e.Message}");
        }
        catch (DecoderFallbackException)
        {
            return new GoldUpload(0, $"{fileName}:0: the file is not valid UTF-8");
        }
        try
        {
            var imported = await import.ImportAsync(studyId, records, userId, ct);
            events.Publish(new GoldSpansChanged(studyId, null, "imported", userId, clock.GetUtcNow()));
            return new GoldUpload(imported, null);
        }
        catch (RatingsCsvException e)
        {
            return new GoldUpload(0, $"{fileName}:{e.Line}: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            return new GoldUpload(0, null, Refused: true);
        }
        catch (InvalidOperationException)
        {
            return new GoldUpload(0, null, NotInAdjudication: true);
        }
    }

    GoldSpanOutcome Announce(long studyId, string caseSlug, long userId, string change, GoldSpanOutcome outcome)
    {
        if (outcome == GoldSpanOutcome.Done) events.Publish(new GoldSpansChanged(studyId, caseSlug, change, userId, clock.GetUtcNow()));
        return outcome;
    }
}
