// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {ICityAccount} from "../interfaces/ICityAccount.sol";
import {ICityRecovery} from "../interfaces/ICityRecovery.sol";

/// @title CityRecovery: guardians give a resident who lost her phones a new passkey, after a delay
/// @notice See {ICityRecovery}. One contract for every account; an account's settings are keyed by
/// the account itself (its own operations call {setGuardians} and {cancelRecoveries}).
///
/// Threat model:
/// - **Guardians never move money.** The only call this contract makes is
///   `ICityAccount.recoverPasskeys` (add one passkey, remove lost ones), and the account accepts that
///   call from this contract only. Unlike a general recovery executor (OpenZeppelin's, Rhinestone's
///   modules run any call the guardians approved), there is no path to `execute`, a transfer or an
///   approval.
/// - **Colluding or stolen guardians.** Enough of them can give the account a passkey of theirs,
///   but only after the delay (48 hours family, 7 days with the desk's approval needed), during which
///   every device of hers is told and any one cancels. A resident who lost every device relies on the
///   guardians she chose: that is the trade she makes by choosing them.
/// - **One guardian blocking another's recovery.** Recoveries are keyed by their content, so a
///   guardian's recovery to a wrong key blocks nobody: others start the right one beside it; the first
///   executed ends the rest.
/// - **Replay.** Approvals are transactions of the guardians themselves (msg.sender), counted for one
///   recovery id, which commits to the chain, this contract, the account, its round and the keys. An
///   executed, cancelled or re-guarded round never comes back (rounds only grow).
/// - **The desk.** Any holder of RECOVERY_DESK_ROLE approves as the desk, once per recovery, and
///   only for accounts that chose the desk; the desk's clerks act after the bank re-verified her (off
///   chain). The admin (delayed transfer) appoints clerks and can do nothing else here.
/// - **A thief with an unlocked device of hers** is her, to this contract (one passkey signs): he can
///   cancel recoveries and schedule other guardians (which waits out the delay, and she and her
///   guardians are told). The defence is the device's own lock and removing it quickly.
contract CityRecovery is ICityRecovery, AccessControlDefaultAdminRules {
    /// @notice The city's recovery desk: approves, for the desk, recoveries of accounts that chose it.
    bytes32 public constant RECOVERY_DESK_ROLE = keccak256("RECOVERY_DESK_ROLE");
    /// @inheritdoc ICityRecovery
    /// @dev A family fits; each check walks the list, so it stays short.
    uint256 public constant MAX_GUARDIANS = 8;

    uint48 private immutable _familyDelay;
    uint48 private immutable _deskDelay;

    struct ScheduledGuardians {
        Guardians guardians;
        uint48 effectiveAt;
    }

    mapping(address account => Guardians) private _guardians;
    mapping(address account => ScheduledGuardians) private _scheduled;
    mapping(address account => uint32) private _rounds;
    mapping(bytes32 id => Recovery) private _recoveries;
    mapping(bytes32 id => mapping(address guardian => bool)) private _approved;

    /// @param familyDelay_ Seconds between enough family approvals and execution (48 hours).
    /// @param deskDelay_ Seconds when the desk's approval was needed (7 days).
    /// @param admin Holds DEFAULT_ADMIN_ROLE (appoints desk clerks).
    /// @param adminTransferDelay Delay of a transfer of DEFAULT_ADMIN_ROLE.
    constructor(
        uint48 familyDelay_,
        uint48 deskDelay_,
        address admin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        _familyDelay = familyDelay_;
        _deskDelay = deskDelay_;
    }

    // ───────────────────────────── her account ─────────────────────────────

    /// @inheritdoc ICityRecovery
    function setGuardians(address[] calldata family, uint8 threshold, bool cityDesk) external {
        address account = msg.sender;
        _checkGuardians(account, family, threshold, cityDesk);
        uint48 delay = guardianChangeDelay(account);
        if (delay == 0) {
            _apply(account, family, threshold, cityDesk);
            return;
        }
        ScheduledGuardians storage scheduled = _scheduled[account];
        uint48 effectiveAt = uint48(block.timestamp) + delay;
        scheduled.guardians = Guardians(family, threshold, cityDesk);
        scheduled.effectiveAt = effectiveAt;
        emit GuardiansChangeScheduled(account, family, threshold, cityDesk, effectiveAt);
    }

    /// @inheritdoc ICityRecovery
    function cancelGuardianChange() external {
        address account = msg.sender;
        if (_scheduled[account].effectiveAt == 0) revert CityRecoveryNoGuardianChange(account);
        delete _scheduled[account];
        emit GuardiansChangeCancelled(account);
    }

    /// @inheritdoc ICityRecovery
    function cancelRecoveries() external {
        address account = msg.sender;
        uint32 round = _rounds[account]++;
        emit RecoveriesCancelled(account, round);
    }

    // ───────────────────────────── anyone ─────────────────────────────

    /// @inheritdoc ICityRecovery
    function applyGuardianChange(address account) external {
        ScheduledGuardians storage scheduled = _scheduled[account];
        uint48 effectiveAt = scheduled.effectiveAt;
        if (effectiveAt == 0) revert CityRecoveryNoGuardianChange(account);
        if (block.timestamp < effectiveAt) revert CityRecoveryGuardianChangeNotDue(account, effectiveAt);
        Guardians memory next = scheduled.guardians;
        delete _scheduled[account];
        // Recoveries approved by the old guardians end with them.
        _rounds[account]++;
        _apply(account, next.family, next.threshold, next.cityDesk);
    }

    /// @inheritdoc ICityRecovery
    function executeRecovery(address account, bytes32 qx, bytes32 qy, ICityAccount.Passkey[] calldata lost) external {
        bytes32 id = recoveryId(account, qx, qy, lost);
        Recovery storage recovery = _pending(id);
        uint8 threshold = _guardians[account].threshold;
        if (recovery.approvals < threshold) {
            revert CityRecoveryNotEnoughApprovals(id, recovery.approvals, threshold);
        }
        uint48 readyAt = recovery.readyAt;
        if (block.timestamp < readyAt) revert CityRecoveryNotReady(id, readyAt);
        // Every other recovery of the round ends here, before the account is called.
        _rounds[account]++;
        emit RecoveryExecuted(account, id, msg.sender, qx, qy);
        ICityAccount(account).recoverPasskeys(qx, qy, lost);
    }

    // ───────────────────────────── guardians ─────────────────────────────

    /// @inheritdoc ICityRecovery
    function startRecovery(
        address account,
        bytes32 qx,
        bytes32 qy,
        ICityAccount.Passkey[] calldata lost
    ) external returns (bytes32 id) {
        bool asDesk = _guardianKind(account, msg.sender);
        if (!P256.isValidPublicKey(qx, qy)) revert CityRecoveryInvalidPasskey(qx, qy);
        for (uint256 i = 0; i < lost.length; ++i) {
            if (lost[i].qx == qx && lost[i].qy == qy) revert CityRecoveryRemovesNewPasskey(qx, qy);
        }
        id = recoveryId(account, qx, qy, lost);
        Recovery storage recovery = _recoveries[id];
        if (recovery.account != address(0)) revert CityRecoveryAlreadyStarted(id);
        uint32 round = _rounds[account];
        recovery.account = account;
        recovery.round = round;
        emit RecoveryStarted(account, id, msg.sender, qx, qy, lost, round);
        _approve(id, recovery, account, asDesk);
    }

    /// @inheritdoc ICityRecovery
    function approveRecovery(bytes32 id) external {
        Recovery storage recovery = _pending(id);
        address account = recovery.account;
        _approve(id, recovery, account, _guardianKind(account, msg.sender));
    }

    // ───────────────────────────── reading ─────────────────────────────

    /// @inheritdoc ICityRecovery
    function familyDelay() external view returns (uint48) {
        return _familyDelay;
    }

    /// @inheritdoc ICityRecovery
    function deskDelay() external view returns (uint48) {
        return _deskDelay;
    }

    /// @inheritdoc ICityRecovery
    function guardiansOf(address account) external view returns (Guardians memory) {
        return _guardians[account];
    }

    /// @inheritdoc ICityRecovery
    function scheduledGuardiansOf(address account) external view returns (Guardians memory, uint48 effectiveAt) {
        ScheduledGuardians storage scheduled = _scheduled[account];
        return (scheduled.guardians, scheduled.effectiveAt);
    }

    /// @inheritdoc ICityRecovery
    /// @dev As long as a recovery by the current guardians would take: a change can never outrun it.
    function guardianChangeDelay(address account) public view returns (uint48) {
        Guardians storage guardians = _guardians[account];
        uint8 threshold = guardians.threshold;
        if (threshold == 0) return 0;
        return guardians.family.length >= threshold ? _familyDelay : _deskDelay;
    }

    /// @inheritdoc ICityRecovery
    function isGuardian(address account, address who) external view returns (bool) {
        return
            _isFamily(_guardians[account], who) || (_guardians[account].cityDesk && hasRole(RECOVERY_DESK_ROLE, who));
    }

    /// @inheritdoc ICityRecovery
    function recoveryRound(address account) external view returns (uint32) {
        return _rounds[account];
    }

    /// @inheritdoc ICityRecovery
    function recoveryId(
        address account,
        bytes32 qx,
        bytes32 qy,
        ICityAccount.Passkey[] calldata lost
    ) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), account, _rounds[account], qx, qy, lost));
    }

    /// @inheritdoc ICityRecovery
    function recoveryOf(bytes32 id) external view returns (Recovery memory) {
        return _recoveries[id];
    }

    /// @inheritdoc ICityRecovery
    function hasApproved(bytes32 id, address guardian) external view returns (bool) {
        return _approved[id][guardian];
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev A recovery of the account's current round.
    function _pending(bytes32 id) private view returns (Recovery storage recovery) {
        recovery = _recoveries[id];
        if (recovery.account == address(0) || recovery.round != _rounds[recovery.account]) {
            revert CityRecoveryNotPending(id);
        }
    }

    /// @dev Whether `who` acts for the desk (false: as a family guardian); reverts for anyone else.
    /// A clerk who is also a family guardian of the account acts as family, so one person never
    /// counts twice.
    function _guardianKind(address account, address who) private view returns (bool asDesk) {
        Guardians storage guardians = _guardians[account];
        if (_isFamily(guardians, who)) return false;
        if (guardians.cityDesk && hasRole(RECOVERY_DESK_ROLE, who)) return true;
        revert CityRecoveryNotGuardian(account, who);
    }

    /// @dev Counts one approval; once the threshold is met, the delay starts: the family delay when
    /// family approvals alone meet it, else the desk's. A later family approval can bring a desk-length
    /// wait down to the family delay from then, never lengthen it.
    function _approve(bytes32 id, Recovery storage recovery, address account, bool asDesk) private {
        if (asDesk) {
            if (recovery.deskApproved) revert CityRecoveryAlreadyApproved(id, msg.sender);
            recovery.deskApproved = true;
        } else {
            if (_approved[id][msg.sender]) revert CityRecoveryAlreadyApproved(id, msg.sender);
            _approved[id][msg.sender] = true;
        }
        uint8 approvals = recovery.approvals + 1;
        recovery.approvals = approvals;
        uint8 threshold = _guardians[account].threshold;
        uint48 readyAt = recovery.readyAt;
        if (approvals >= threshold) {
            uint8 family = recovery.deskApproved ? approvals - 1 : approvals;
            uint48 candidate = uint48(block.timestamp) + (family >= threshold ? _familyDelay : _deskDelay);
            if (readyAt == 0 || candidate < readyAt) {
                readyAt = candidate;
                recovery.readyAt = candidate;
            }
        }
        emit RecoveryApproved(account, id, msg.sender, asDesk, approvals, readyAt);
    }

    function _apply(address account, address[] memory family, uint8 threshold, bool cityDesk) private {
        _guardians[account] = Guardians(family, threshold, cityDesk);
        emit GuardiansChanged(account, family, threshold, cityDesk);
    }

    function _checkGuardians(address account, address[] calldata family, uint8 threshold, bool cityDesk) private pure {
        if (family.length > MAX_GUARDIANS) revert CityRecoveryTooManyGuardians(family.length, MAX_GUARDIANS);
        uint256 count = family.length + (cityDesk ? 1 : 0);
        if ((count > 0 && threshold == 0) || threshold > count) revert CityRecoveryInvalidThreshold(threshold, count);
        for (uint256 i = 0; i < family.length; ++i) {
            address guardian = family[i];
            if (guardian == address(0) || guardian == account) revert CityRecoveryInvalidGuardian(guardian);
            for (uint256 j = 0; j < i; ++j) {
                if (family[j] == guardian) revert CityRecoveryInvalidGuardian(guardian);
            }
        }
    }

    function _isFamily(Guardians storage guardians, address who) private view returns (bool) {
        address[] storage family = guardians.family;
        uint256 length = family.length;
        for (uint256 i = 0; i < length; ++i) {
            if (family[i] == who) return true;
        }
        return false;
    }
}
