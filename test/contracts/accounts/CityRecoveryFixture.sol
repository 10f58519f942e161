// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the recovery tests: 王阿姨's passkey account (her phone, which she loses, and a
// tablet), her son's passkey account, her daughter's and brother's wallets as guardians, a clerk of
// the city's recovery desk, and her new phone's passkey.

import {PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {ICityAccount} from "../../../contracts/interfaces/ICityAccount.sol";
import {CityAccountFixture} from "./CityAccountFixture.sol";

abstract contract CityRecoveryFixture is CityAccountFixture {
    uint256 internal newPhonePk = uint256(keccak256("resident new phone passkey")) % P256_N;
    uint256 internal sonPk = uint256(keccak256("son phone passkey")) % P256_N;

    CityAccount internal wang; // 王阿姨's account, first passkey: phonePk
    address internal son; // her son's passkey account
    address internal daughter = makeAddr("daughter");
    address internal brother = makeAddr("brother");
    address internal clerk = makeAddr("recovery desk clerk");
    address internal clerk2 = makeAddr("second recovery desk clerk");
    address internal keeper = makeAddr("keeper");

    uint256 internal constant SAVINGS = 500_000; // 5,000.00 yuan

    function setUp() public virtual override {
        super.setUp();
        _fundAccountOf(phonePk, SAVINGS);
        wang = _createAccount(phonePk);
        son = address(_createAccount(sonPk));
        vm.startPrank(admin);
        recovery.grantRole(recovery.RECOVERY_DESK_ROLE(), clerk);
        recovery.grantRole(recovery.RECOVERY_DESK_ROLE(), clerk2);
        vm.stopPrank();
    }

    // ───────────────────────────── guardians ─────────────────────────────

    function _family() internal view returns (address[] memory family) {
        family = new address[](3);
        (family[0], family[1], family[2]) = (son, daughter, brother);
    }

    function _none() internal pure returns (address[] memory) {
        return new address[](0);
    }

    /// @dev Her account chooses guardians (as its own call; an operation does the same).
    function _guard(address[] memory family, uint8 threshold, bool cityDesk) internal {
        vm.prank(address(wang));
        recovery.setGuardians(family, threshold, cityDesk);
    }

    // ───────────────────────────── recoveries ─────────────────────────────

    /// @dev The lost phone, as the passkeys a recovery removes.
    function _lostPhone() internal view returns (ICityAccount.Passkey[] memory lost) {
        lost = new ICityAccount.Passkey[](1);
        (lost[0].qx, lost[0].qy) = _key(phonePk);
    }

    /// @dev `guardian` starts the recovery of her account to her new phone, removing the lost one.
    function _start(address guardian) internal returns (bytes32 id) {
        (bytes32 qx, bytes32 qy) = _key(newPhonePk);
        vm.prank(guardian);
        id = recovery.startRecovery(address(wang), qx, qy, _lostPhone());
    }

    function _approve(address guardian, bytes32 id) internal {
        vm.prank(guardian);
        recovery.approveRecovery(id);
    }

    function _executeRecovery() internal {
        (bytes32 qx, bytes32 qy) = _key(newPhonePk);
        vm.prank(keeper);
        recovery.executeRecovery(address(wang), qx, qy, _lostPhone());
    }

    function _expectExecuteRevert(bytes memory reason) internal {
        (bytes32 qx, bytes32 qy) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(keeper, reason);
        recovery.executeRecovery(address(wang), qx, qy, lost);
    }

    function _isPasskey(uint256 pk) internal view returns (bool) {
        (bytes32 qx, bytes32 qy) = _key(pk);
        return wang.isPasskey(qx, qy);
    }

    /// @dev An operation of the account of `accountPk`, signed by `signerPk`, paying its own gas
    /// (the city paymaster sponsors only the city's money contracts).
    function _ownOp(
        uint256 accountPk,
        uint256 signerPk,
        bytes memory callData
    ) internal returns (PackedUserOperation memory op) {
        op = _op(accountPk, callData);
        op.paymasterAndData = "";
        op.signature = _signature(signerPk, _hash(op));
        vm.deal(op.sender, 1 ether);
    }
}
