namespace CloudIntegration.Tests.Support;

/// <summary>
/// How many runs a reliability test makes: a CI-sized default, or the full size that scripts/reliability.sh sets
/// through an environment variable (CLOUD_INTEGRATION_KILL_RUNS, CLOUD_INTEGRATION_CONCURRENCY_ROUNDS,
/// CLOUD_INTEGRATION_SHARED_TOKEN_ROUNDS).
/// </summary>
public static class HarnessSize
{
    public const string KillRuns = "CLOUD_INTEGRATION_KILL_RUNS";
    public const string ConcurrencyRounds = "CLOUD_INTEGRATION_CONCURRENCY_ROUNDS";
    public const string SharedTokenRounds = "CLOUD_INTEGRATION_SHARED_TOKEN_ROUNDS";

    public static int Get(string variable, int ciDefault)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text)) return ciDefault;
        return int.TryParse(text, out var n) && n > 0
            ? n
            : throw new InvalidOperationException($"{variable} must be a positive whole number, not '{text}'");
    }
}
