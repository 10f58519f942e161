// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariant: whatever guardians (family 2 of 3 plus the city desk) and strangers do — start and
// approve recoveries to any key, execute, try to move her money or change her passkeys directly —
// while she cancels, adds and removes devices and time passes, her account's HCY never moves, and its
// passkeys change only through executed recoveries or her own operations. A handler drives it; the
// test checks after each call.

import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {CityRecovery} from "../../../contracts/accounts/CityRecovery.sol";
import {CityYuan} from "../../../contracts/CityYuan.sol";
import {ICityAccount} from "../../../contracts/interfaces/ICityAccount.sol";
import {TestBase} from "../utils/Vm.sol";
import {CityRecoveryFixture} from "./CityRecoveryFixture.sol";

contract CityRecoveryHandler is TestBase {
    bytes32 internal constant BATCH_MODE = bytes32(uint256(1) << 248);

    CityRecovery internal immutable _recovery;
    CityAccount internal immutable _account;
    CityYuan internal immutable _hcy;
    address internal immutable _entryPoint;
    address[] internal _actors; // guardians, a desk clerk, a stranger
    ICityAccount.Passkey[] internal _keys; // her first phone, then candidate new keys

    struct Started {
        bytes32 id;
        uint256 key;
        bool removesFirst;
    }

    Started[] internal _started;
    /// @dev What her passkeys must be: changed only where an executed recovery or her operation changed them.
    mapping(uint256 key => bool) public expectedPasskey;
    uint256 public executed;

    constructor(
        CityRecovery recovery_,
        CityAccount account_,
        CityYuan hcy_,
        address entryPoint_,
        address[] memory actors,
        ICityAccount.Passkey[] memory keys
    ) {
        (_recovery, _account, _hcy, _entryPoint) = (recovery_, account_, hcy_, entryPoint_);
        _actors = actors;
        for (uint256 i = 0; i < keys.length; ++i) _keys.push(keys[i]);
        expectedPasskey[0] = true;
    }

    function keyCount() external view returns (uint256) {
        return _keys.length;
    }

    function keyAt(uint256 i) external view returns (bytes32, bytes32) {
        return (_keys[i].qx, _keys[i].qy);
    }

    function start(uint256 actorSeed, uint256 keySeed, bool removesFirst) external {
        uint256 key = 1 + (keySeed % (_keys.length - 1));
        ICityAccount.Passkey[] memory lost = _lost(removesFirst);
        vm.prank(_actor(actorSeed));
        try _recovery.startRecovery(address(_account), _keys[key].qx, _keys[key].qy, lost) returns (bytes32 id) {
            _started.push(Started(id, key, removesFirst));
        } catch {}
    }

    function approve(uint256 actorSeed, uint256 idSeed) external {
        if (_started.length == 0) return;
        vm.prank(_actor(actorSeed));
        try _recovery.approveRecovery(_pick(idSeed).id) {} catch {}
    }

    function execute(uint256 idSeed) external {
        if (_started.length == 0) return;
        Started memory s = _pick(idSeed);
        vm.prank(_actor(idSeed));
        try _recovery.executeRecovery(address(_account), _keys[s.key].qx, _keys[s.key].qy, _lost(s.removesFirst)) {
            ++executed;
            expectedPasskey[s.key] = true;
            if (s.removesFirst) expectedPasskey[0] = false;
        } catch {}
    }

    /// @dev Her device cancels now and then (each cancel ends every pending recovery).
    function cancel(uint256 seed) external {
        if (seed % 4 != 0) return;
        vm.prank(address(_account));
        _recovery.cancelRecoveries();
    }

    /// @dev Her own operation (through the EntryPoint) adds or removes a device.
    function herDevice(uint256 keySeed, bool add) external {
        uint256 key = keySeed % _keys.length;
        vm.prank(_entryPoint);
        if (add) {
            try _account.addPasskey(_keys[key].qx, _keys[key].qy) {
                expectedPasskey[key] = true;
            } catch {}
        } else {
            try _account.removePasskey(_keys[key].qx, _keys[key].qy) {
                expectedPasskey[key] = false;
            } catch {}
        }
    }

    /// @dev A guardian (or anyone) tries everything else on her account.
    function steal(uint256 actorSeed, uint256 amount, uint256 keySeed) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 1, 1e9);
        uint256 key = keySeed % _keys.length;
        Execution[] memory calls = new Execution[](1);
        calls[0] = Execution(address(_hcy), 0, abi.encodeCall(_hcy.transfer, (actor, amount)));
        vm.startPrank(actor);
        try _account.execute(BATCH_MODE, abi.encode(calls)) {} catch {}
        try _hcy.transferFrom(address(_account), actor, amount) {} catch {}
        try _account.addPasskey(_keys[key].qx, _keys[key].qy) {} catch {}
        try _account.removePasskey(_keys[0].qx, _keys[0].qy) {} catch {}
        try _account.recoverPasskeys(_keys[key].qx, _keys[key].qy, _lost(true)) {} catch {}
        vm.stopPrank();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1 hours, 4 days));
    }

    /// @dev The latest recovery half the time (the one guardians are busy with), else any.
    function _pick(uint256 seed) internal view returns (Started memory) {
        return _started[seed % 2 == 0 ? _started.length - 1 : (seed >> 1) % _started.length];
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _lost(bool removesFirst) internal view returns (ICityAccount.Passkey[] memory lost) {
        lost = new ICityAccount.Passkey[](removesFirst ? 1 : 0);
        if (removesFirst) lost[0] = _keys[0];
    }
}

contract CityRecoveryInvariantTest is CityRecoveryFixture {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    CityRecoveryHandler internal handler;

    function setUp() public override {
        super.setUp();
        _guard(_family(), 2, true);
        address[] memory actors = new address[](5);
        (actors[0], actors[1], actors[2], actors[3], actors[4]) = (son, daughter, brother, clerk, carol);
        uint256[4] memory pks = [phonePk, newPhonePk, tabletPk, strangerPk];
        ICityAccount.Passkey[] memory keys = new ICityAccount.Passkey[](4);
        for (uint256 i = 0; i < 4; ++i) (keys[i].qx, keys[i].qy) = _key(pks[i]);
        handler = new CityRecoveryHandler(recovery, wang, token, address(entryPoint), actors, keys);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = CityRecoveryHandler.start.selector;
        selectors[1] = CityRecoveryHandler.approve.selector;
        selectors[2] = CityRecoveryHandler.execute.selector;
        selectors[3] = CityRecoveryHandler.cancel.selector;
        selectors[4] = CityRecoveryHandler.herDevice.selector;
        selectors[5] = CityRecoveryHandler.steal.selector;
        selectors[6] = CityRecoveryHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @dev The handler reaches an executed recovery (so the invariants are not checked on an idle account).
    function test_HandlerExecutesARecovery() public {
        handler.start(0, 0, true); // her son, to her new phone, removing the first
        handler.approve(1, 0); // her daughter, the latest recovery
        handler.warp(3 days);
        handler.execute(0);
        assertEq(handler.executed(), 1, "executed");
        invariant_PasskeysChangeOnlyByRecoveryOrHerself();
        invariant_GuardiansNeverMoveHerMoney();
    }

    function invariant_GuardiansNeverMoveHerMoney() public view {
        assertEq(token.balanceOf(address(wang)), SAVINGS, "her balance");
    }

    function invariant_PasskeysChangeOnlyByRecoveryOrHerself() public view {
        uint256 count;
        for (uint256 i = 0; i < handler.keyCount(); ++i) {
            (bytes32 qx, bytes32 qy) = handler.keyAt(i);
            bool expected = handler.expectedPasskey(i);
            if (expected) ++count;
            if (expected) assertTrue(wang.isPasskey(qx, qy), "a passkey she or a recovery added is there");
            else assertFalse(wang.isPasskey(qx, qy), "no passkey appeared by itself");
        }
        assertEq(wang.passkeyCount(), count, "no other passkey");
        assertTrue(count > 0, "never without a passkey");
    }
}
