/**
 * alinux-guard companion stack: creates ECS instances on a pinned Alibaba Cloud Linux 2.1903 image
 * (default: a legacy image in the hotfix range) and applies the OverlayFS dentry-leak kernel hotfix
 * to them, and to any existing instance IDs named in config, through Cloud Assistant.
 * Only `alicloud:region` is required. See docs/companion.md.
 */
import { defineCompanionStack, readSettings } from "./stack";

const settings = readSettings();
const { instances, hotfix } = defineCompanionStack(settings);

export const imageId = settings.imageId;
export const instanceIds = instances.map((instance) => instance.id);
export const existingInstanceIds = settings.existingInstanceIds;
export const hotfixCommandId = hotfix.commandId;
export const hotfixInvocationIds = hotfix.invocationIds;
export const hotfixInvocationStatuses = hotfix.invocationStatuses;
export const hotfixStatus = hotfix.status;
