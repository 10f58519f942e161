// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityAccount} from "./ICityAccount.sol";

/// @title Account recovery by guardians: a new passkey for the same account after a delay
/// @notice A resident chooses guardians for her account: family members' addresses (their own
/// accounts or wallets) and, optionally, the city's recovery desk (any holder of the desk role, after
/// she re-verified with the bank). When she has lost every device, a guardian starts a recovery that
/// names her new phone's passkey (and the lost ones to remove); once enough guardians approved, a
/// delay runs (the family delay, or the longer desk delay when the desk's approval was needed), during
/// which any of her existing passkeys can cancel with an operation of her account. After the delay
/// anyone executes it, and the account adds the new passkey through its one recovery hook: guardians
/// can change the account's passkeys this way and nothing else, never move its money.
///
/// A change of guardians also waits out the delay (the first choice applies at once: there is nothing
/// yet to protect) and she can cancel it. Every pending recovery of an account dies when one of them
/// is executed, when she cancels, and when a change of guardians takes effect: each belongs to the
/// account's current recovery round.
interface ICityRecovery {
    /// @notice An account's guardians.
    /// @param family The family guardians' addresses (at most {MAX_GUARDIANS}).
    /// @param threshold How many approvals a recovery needs (the desk counts as one).
    /// @param cityDesk Whether the city's recovery desk is one of the guardians.
    struct Guardians {
        address[] family;
        uint8 threshold;
        bool cityDesk;
    }

    /// @notice One recovery as stored: the id commits to the rest (account, round, keys).
    /// @param account The account to recover (zero when no recovery has this id).
    /// @param round The account's recovery round the recovery belongs to.
    /// @param readyAt When it can be executed (0 until enough guardians approved).
    /// @param approvals How many guardians approved (the desk counts as one).
    /// @param deskApproved Whether the city's recovery desk approved.
    struct Recovery {
        address account;
        uint32 round;
        uint48 readyAt;
        uint8 approvals;
        bool deskApproved;
    }

    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a guardian is the zero address, the account itself, or named twice.
    error CityRecoveryInvalidGuardian(address guardian);

    /// @notice Thrown when more family guardians are named than {MAX_GUARDIANS}.
    error CityRecoveryTooManyGuardians(uint256 count, uint256 max);

    /// @notice Thrown when the threshold is 0 with guardians, or more than the guardians (desk included).
    error CityRecoveryInvalidThreshold(uint8 threshold, uint256 guardians);

    /// @notice Thrown when applying or cancelling a change of guardians that was never scheduled.
    error CityRecoveryNoGuardianChange(address account);

    /// @notice Thrown when applying a change of guardians before its delay passed.
    error CityRecoveryGuardianChangeNotDue(address account, uint48 effectiveAt);

    /// @notice Thrown when someone who is not one of the account's guardians starts or approves.
    error CityRecoveryNotGuardian(address account, address caller);

    /// @notice Thrown when the new passkey is not a point of the P-256 curve.
    error CityRecoveryInvalidPasskey(bytes32 qx, bytes32 qy);

    /// @notice Thrown when the passkeys to remove include the new one.
    error CityRecoveryRemovesNewPasskey(bytes32 qx, bytes32 qy);

    /// @notice Thrown when the same recovery (account, round, keys) is started twice.
    error CityRecoveryAlreadyStarted(bytes32 id);

    /// @notice Thrown when a recovery is unknown or no longer pending (executed, cancelled, or its
    /// guardians changed).
    error CityRecoveryNotPending(bytes32 id);

    /// @notice Thrown when a guardian (or the desk) approves the same recovery twice.
    error CityRecoveryAlreadyApproved(bytes32 id, address guardian);

    /// @notice Thrown when executing a recovery that has fewer approvals than the threshold.
    error CityRecoveryNotEnoughApprovals(bytes32 id, uint8 approvals, uint8 threshold);

    /// @notice Thrown when executing a recovery before its delay passed.
    error CityRecoveryNotReady(bytes32 id, uint48 readyAt);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when an account's guardians take effect (at once the first time, else after
    /// the delay).
    event GuardiansChanged(address indexed account, address[] family, uint8 threshold, bool cityDesk);

    /// @notice Emitted when an account schedules a change of its guardians.
    event GuardiansChangeScheduled(
        address indexed account,
        address[] family,
        uint8 threshold,
        bool cityDesk,
        uint48 effectiveAt
    );

    /// @notice Emitted when the account cancels a scheduled change of its guardians.
    event GuardiansChangeCancelled(address indexed account);

    /// @notice Emitted when a guardian starts a recovery (the start is also its approval, see
    /// {RecoveryApproved}).
    /// @param account The account to recover.
    /// @param id The recovery's id (see {recoveryId}).
    /// @param guardian Who started it.
    /// @param qx,qy The new passkey.
    /// @param lost The passkeys it removes.
    /// @param round The account's recovery round.
    event RecoveryStarted(
        address indexed account,
        bytes32 indexed id,
        address indexed guardian,
        bytes32 qx,
        bytes32 qy,
        ICityAccount.Passkey[] lost,
        uint32 round
    );

    /// @notice Emitted for every approval (the start's included).
    /// @param guardian The approving address (a desk clerk's when `cityDesk`).
    /// @param cityDesk Whether it counted as the city desk's approval.
    /// @param approvals The approvals so far.
    /// @param readyAt When it can be executed (0 while approvals are below the threshold).
    event RecoveryApproved(
        address indexed account,
        bytes32 indexed id,
        address indexed guardian,
        bool cityDesk,
        uint8 approvals,
        uint48 readyAt
    );

    /// @notice Emitted when the account cancels every pending recovery of a round.
    event RecoveriesCancelled(address indexed account, uint32 round);

    /// @notice Emitted when a recovery gave the account its new passkey.
    event RecoveryExecuted(
        address indexed account,
        bytes32 indexed id,
        address indexed executor,
        bytes32 qx,
        bytes32 qy
    );

    // ───────────────────────────── her account ─────────────────────────────

    /// @notice Chooses the caller's guardians. The first choice applies at once; later changes after
    /// {guardianChangeDelay} (they replace a scheduled one). An empty set (no family, no desk,
    /// threshold 0) turns recovery off.
    function setGuardians(address[] calldata family, uint8 threshold, bool cityDesk) external;

    /// @notice Cancels the caller's scheduled change of guardians.
    function cancelGuardianChange() external;

    /// @notice Cancels every pending recovery of the caller's account (an operation of one of her
    /// passkeys).
    function cancelRecoveries() external;

    // ───────────────────────────── anyone ─────────────────────────────

    /// @notice Applies `account`'s scheduled change of guardians once its delay passed; pending
    /// recoveries end.
    function applyGuardianChange(address account) external;

    /// @notice Gives `account` the new passkey (and removes the lost ones it still has) once the
    /// recovery is approved and its delay passed. Ends every pending recovery of the account.
    function executeRecovery(address account, bytes32 qx, bytes32 qy, ICityAccount.Passkey[] calldata lost) external;

    // ───────────────────────────── guardians ─────────────────────────────

    /// @notice Starts (and approves) a recovery of `account` to the new passkey `(qx, qy)`, removing
    /// `lost`. Only a guardian of the account (or a desk clerk when the desk is one).
    /// @return id The recovery's id.
    function startRecovery(
        address account,
        bytes32 qx,
        bytes32 qy,
        ICityAccount.Passkey[] calldata lost
    ) external returns (bytes32 id);

    /// @notice Approves a pending recovery. A family guardian approves as themself; a desk clerk, for
    /// the desk (once for the whole desk).
    function approveRecovery(bytes32 id) external;

    // ───────────────────────────── reading ─────────────────────────────

    /// @notice The most family guardians an account can have.
    function MAX_GUARDIANS() external view returns (uint256);

    /// @notice The delay after approvals when the family guardians alone reached the threshold.
    function familyDelay() external view returns (uint48);

    /// @notice The delay after approvals when the desk's approval was needed.
    function deskDelay() external view returns (uint48);

    /// @notice The account's guardians in effect.
    function guardiansOf(address account) external view returns (Guardians memory);

    /// @notice The account's scheduled change of guardians (`effectiveAt` 0 when none).
    function scheduledGuardiansOf(address account) external view returns (Guardians memory, uint48 effectiveAt);

    /// @notice How long a change of `account`'s guardians waits (0 when it has none).
    function guardianChangeDelay(address account) external view returns (uint48);

    /// @notice Whether `who` can start and approve recoveries of `account`.
    function isGuardian(address account, address who) external view returns (bool);

    /// @notice The account's recovery round: pending recoveries belong to it.
    function recoveryRound(address account) external view returns (uint32);

    /// @notice The id of the recovery of `account` in its current round to `(qx, qy)` removing `lost`,
    /// bound to this chain and this contract.
    function recoveryId(
        address account,
        bytes32 qx,
        bytes32 qy,
        ICityAccount.Passkey[] calldata lost
    ) external view returns (bytes32);

    /// @notice A recovery as stored (`account` zero when unknown). Pending while `round` is the
    /// account's {recoveryRound}.
    function recoveryOf(bytes32 id) external view returns (Recovery memory);

    /// @notice Whether `guardian` approved recovery `id` (a family guardian's own approval).
    function hasApproved(bytes32 id, address guardian) external view returns (bool);
}
