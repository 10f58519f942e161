// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// MerchantRegistry: registering, updating, deactivating and reactivating merchants, the reads the
// dApp and the voucher escrow use, every revert path with its exact error, every registrar
// function from every wrong role, and the two-step admin transfer.

import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {MerchantRegistry} from "../../contracts/MerchantRegistry.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {TestBase} from "./utils/Vm.sol";

contract MerchantRegistryTest is TestBase {
    uint256 internal constant START = 1_800_000_000; // 2027-01-15
    uint48 internal constant ADMIN_DELAY = 3 days;
    uint256 internal constant MAX_NAME = 64;

    MerchantRegistry internal registry;
    address internal admin = address(0xAD);
    address internal registrar = address(0x4E6);
    address internal stranger = address(0x5742);
    address internal noodleShop = address(0xD1);
    address internal pharmacy = address(0xAE01);

    function setUp() public {
        vm.warp(START);
        registry = new MerchantRegistry(admin, ADMIN_DELAY);
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.prank(admin);
        registry.grantRole(role, registrar);
    }

    function _register(address merchant, string memory name, IMerchantRegistry.Category category) internal {
        vm.prank(registrar);
        registry.register(merchant, name, category);
    }

    function _category(uint256 seed) internal pure returns (IMerchantRegistry.Category) {
        return IMerchantRegistry.Category(seed % 8);
    }

    /// @dev A name of `length` bytes.
    function _name(uint256 length) internal pure returns (string memory) {
        bytes memory name = new bytes(length);
        for (uint256 i = 0; i < length; i++) {
            name[i] = bytes1(uint8(0x61 + (i % 26)));
        }
        return string(name);
    }

    function _assertEq(string memory left, string memory right, string memory message) internal pure {
        assertTrue(keccak256(bytes(left)) == keccak256(bytes(right)), message);
    }

    // ───────────────────────────── register ─────────────────────────────

    function testFuzz_Register(address merchant, uint256 nameLength, uint256 categorySeed) public {
        vm.assume(merchant != address(0));
        string memory name = _name(bound(nameLength, 1, MAX_NAME));
        IMerchantRegistry.Category category = _category(categorySeed);

        vm.expectEmit(true, true, false, true, address(registry));
        emit IMerchantRegistry.MerchantRegistered(merchant, registrar, name, category);
        _register(merchant, name, category);

        IMerchantRegistry.Merchant memory record = registry.merchantOf(merchant);
        _assertEq(record.name, name, "name");
        assertTrue(record.category == category, "category");
        assertTrue(record.active, "active");
        assertEq(record.registeredAt, START, "registeredAt");
        (IMerchantRegistry.Category readCategory, bool active) = registry.categoryOf(merchant);
        assertTrue(readCategory == category && active, "categoryOf");
        assertEq(registry.merchantCount(), 1, "count");
        assertEq(registry.merchantAt(0), merchant, "listed");
    }

    function test_RegisterAChineseName() public {
        // A CJK character is 3 bytes of UTF-8: 21 of them (63 bytes) are the longest all-Chinese
        // name that fits.
        string memory name = unicode"合肥市庐阳区淮河路步行街老字号四季春汤包馆总店";
        assertEq(bytes(name).length, 69, "this one is 23 characters");
        vm.expectRevert(abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryInvalidName.selector, 69, MAX_NAME));
        _register(noodleShop, name, IMerchantRegistry.Category.Dining);

        name = unicode"合肥市庐阳区淮河路步行街老四季春汤包馆总店";
        assertEq(bytes(name).length, 63, "21 characters");
        _register(noodleShop, name, IMerchantRegistry.Category.Dining);
        _assertEq(registry.merchantOf(noodleShop).name, name, "stored as given");
    }

    function testFuzz_RevertWhen_NameTooLong(uint256 length) public {
        length = bound(length, MAX_NAME + 1, 300);
        vm.expectRevert(
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryInvalidName.selector, length, MAX_NAME)
        );
        _register(noodleShop, _name(length), IMerchantRegistry.Category.Dining);
    }

    function test_RevertWhen_NameEmpty() public {
        vm.expectRevert(abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryInvalidName.selector, 0, MAX_NAME));
        _register(noodleShop, "", IMerchantRegistry.Category.Dining);
    }

    function test_RevertWhen_RegisteringZeroAddress() public {
        vm.expectRevert(IMerchantRegistry.MerchantRegistryZeroAddress.selector);
        _register(address(0), unicode"面馆", IMerchantRegistry.Category.Dining);
    }

    function testFuzz_RevertWhen_AlreadyRegistered(bool deactivated) public {
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        if (deactivated) {
            vm.prank(registrar);
            registry.deactivate(noodleShop);
        }
        vm.expectRevert(
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryAlreadyRegistered.selector, noodleShop)
        );
        _register(noodleShop, unicode"另一家", IMerchantRegistry.Category.Retail);
    }

    function testFuzz_ListsEveryMerchantInOrder(uint8 count) public {
        count = uint8(bound(count, 1, 12));
        for (uint256 i = 0; i < count; i++) {
            _register(address(uint160(0x1000 + i)), _name(i + 1), _category(i));
        }
        assertEq(registry.merchantCount(), count, "count");
        for (uint256 i = 0; i < count; i++) {
            assertEq(registry.merchantAt(i), address(uint160(0x1000 + i)), "order of registration");
        }
    }

    function test_RevertWhen_MerchantAtOutOfRange() public {
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x32));
        registry.merchantAt(1);
    }

    function testFuzz_UnknownMerchantReadsAsInactive(address unknown) public view {
        (, bool active) = registry.categoryOf(unknown);
        assertFalse(active, "unknown is not active");
        IMerchantRegistry.Merchant memory record = registry.merchantOf(unknown);
        assertEq(bytes(record.name).length, 0, "no name");
        assertEq(record.registeredAt, 0, "never registered");
        assertFalse(record.active, "inactive");
    }

    // ───────────────────────────── update ─────────────────────────────

    function testFuzz_UpdateChangesNameAndCategoryOnly(
        uint256 nameLength,
        uint256 categorySeed,
        bool deactivated
    ) public {
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        if (deactivated) {
            vm.prank(registrar);
            registry.deactivate(noodleShop);
        }
        vm.warp(START + 30 days);
        string memory name = _name(bound(nameLength, 1, MAX_NAME));
        IMerchantRegistry.Category category = _category(categorySeed);

        vm.expectEmit(true, true, false, true, address(registry));
        emit IMerchantRegistry.MerchantUpdated(noodleShop, registrar, name, category);
        vm.prank(registrar);
        registry.update(noodleShop, name, category);

        IMerchantRegistry.Merchant memory record = registry.merchantOf(noodleShop);
        _assertEq(record.name, name, "name");
        assertTrue(record.category == category, "category");
        assertTrue(record.active == !deactivated, "active unchanged");
        assertEq(record.registeredAt, START, "registeredAt unchanged");
        assertEq(registry.merchantCount(), 1, "not listed twice");
    }

    function testFuzz_RevertWhen_UpdatingUnknownMerchant(address unknown) public {
        _expectRevertAs(
            registrar,
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryNotRegistered.selector, unknown)
        );
        registry.update(unknown, unicode"面馆", IMerchantRegistry.Category.Dining);
    }

    function testFuzz_RevertWhen_UpdateNameInvalid(uint256 length) public {
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        length = length % 2 == 0 ? 0 : bound(length, MAX_NAME + 1, 300);
        _expectRevertAs(
            registrar,
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryInvalidName.selector, length, MAX_NAME)
        );
        registry.update(noodleShop, _name(length), IMerchantRegistry.Category.Dining);
    }

    // ───────────────────────────── deactivate and reactivate ─────────────────────────────

    function test_DeactivateAndReactivate() public {
        _register(pharmacy, unicode"大药房", IMerchantRegistry.Category.Medical);

        vm.expectEmit(true, true, false, false, address(registry));
        emit IMerchantRegistry.MerchantDeactivated(pharmacy, registrar);
        vm.prank(registrar);
        registry.deactivate(pharmacy);
        (IMerchantRegistry.Category category, bool active) = registry.categoryOf(pharmacy);
        assertTrue(category == IMerchantRegistry.Category.Medical, "category kept");
        assertFalse(active, "inactive");

        vm.expectEmit(true, true, false, false, address(registry));
        emit IMerchantRegistry.MerchantReactivated(pharmacy, registrar);
        vm.prank(registrar);
        registry.reactivate(pharmacy);
        (, active) = registry.categoryOf(pharmacy);
        assertTrue(active, "active again");
    }

    function test_RevertWhen_DeactivatingInactiveMerchant() public {
        _register(pharmacy, unicode"大药房", IMerchantRegistry.Category.Medical);
        vm.prank(registrar);
        registry.deactivate(pharmacy);
        _expectRevertAs(
            registrar,
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryActiveUnchanged.selector, pharmacy, false)
        );
        registry.deactivate(pharmacy);
    }

    function test_RevertWhen_ReactivatingActiveMerchant() public {
        _register(pharmacy, unicode"大药房", IMerchantRegistry.Category.Medical);
        _expectRevertAs(
            registrar,
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryActiveUnchanged.selector, pharmacy, true)
        );
        registry.reactivate(pharmacy);
    }

    function testFuzz_RevertWhen_DeactivatingOrReactivatingUnknownMerchant(address unknown, bool reactivate) public {
        _expectRevertAs(
            registrar,
            abi.encodeWithSelector(IMerchantRegistry.MerchantRegistryNotRegistered.selector, unknown)
        );
        if (reactivate) registry.reactivate(unknown);
        else registry.deactivate(unknown);
    }

    // ───────────────────────────── roles ─────────────────────────────

    function _registrarCalls() internal view returns (bytes[] memory calls) {
        calls = new bytes[](4);
        calls[0] = abi.encodeCall(
            IMerchantRegistry.register,
            (pharmacy, unicode"药房", IMerchantRegistry.Category.Medical)
        );
        calls[1] = abi.encodeCall(
            IMerchantRegistry.update,
            (noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining)
        );
        calls[2] = abi.encodeCall(IMerchantRegistry.deactivate, (noodleShop));
        calls[3] = abi.encodeCall(IMerchantRegistry.reactivate, (noodleShop));
    }

    /// @dev The admin grants the registrar role but is not a registrar itself: roles are kept apart.
    function testFuzz_RevertWhen_RegistrarFunctionCalledWithoutTheRole(address caller, uint256 which) public {
        vm.assume(caller != registrar);
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        bytes[] memory calls = _registrarCalls();
        bytes32 role = registry.REGISTRAR_ROLE();
        which = bound(which, 0, calls.length - 1);
        if (which % 2 == 0) caller = which == 0 ? admin : stranger; // always include the admin
        _expectMissingRoleAs(caller, role);
        (bool ok, ) = address(registry).call(calls[which]);
        ok; // expectRevert has checked the revert data
    }

    function test_RevertWhen_EveryRegistrarFunctionCalledByAdminOrStranger() public {
        _register(noodleShop, unicode"面馆", IMerchantRegistry.Category.Dining);
        bytes[] memory calls = _registrarCalls();
        bytes32 role = registry.REGISTRAR_ROLE();
        address[2] memory wrong = [admin, stranger];
        for (uint256 i = 0; i < calls.length; i++) {
            for (uint256 j = 0; j < wrong.length; j++) {
                _expectMissingRoleAs(wrong[j], role);
                (bool ok, ) = address(registry).call(calls[i]);
                ok;
            }
        }
    }

    function test_RevertWhen_GrantingRegistrarRoleWithoutAdmin() public {
        bytes32 role = registry.REGISTRAR_ROLE();
        bytes32 adminRole = registry.DEFAULT_ADMIN_ROLE();
        _expectMissingRoleAs(registrar, adminRole);
        registry.grantRole(role, stranger);
    }

    function test_RoleConstant() public view {
        assertEq(registry.REGISTRAR_ROLE(), keccak256("REGISTRAR_ROLE"), "registrar role");
    }

    // ───────────────────────────── two-step admin transfer ─────────────────────────────

    function testFuzz_AdminTransferTakesTwoStepsAndTheDelay(address newAdmin, uint256 early) public {
        vm.assume(newAdmin != address(0) && newAdmin != admin);
        vm.prank(admin);
        registry.beginDefaultAdminTransfer(newAdmin);
        uint48 schedule = uint48(block.timestamp) + ADMIN_DELAY;

        vm.warp(bound(early, block.timestamp, schedule));
        _expectAdminDelayAs(newAdmin, schedule);
        registry.acceptDefaultAdminTransfer();

        vm.warp(uint256(schedule) + 1);
        vm.prank(newAdmin);
        registry.acceptDefaultAdminTransfer();
        assertEq(registry.defaultAdmin(), newAdmin, "new admin");
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.prank(newAdmin);
        registry.grantRole(role, stranger);
        assertTrue(registry.hasRole(role, stranger), "new admin grants");
    }

    function test_RevertWhen_ConstructorAdminIsZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector,
                address(0)
            )
        );
        new MerchantRegistry(address(0), ADMIN_DELAY);
    }
}
