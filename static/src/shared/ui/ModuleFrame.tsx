import Heading from '@atlaskit/heading';
import { Box, Stack } from '@atlaskit/primitives';
import type { ReactNode } from 'react';

/** The outer frame of every module: one heading (a landmark for assistive tech) and the content. */
export function ModuleFrame({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <Box as="main" padding="space.100" testId="rg-module">
      <Stack space="space.200">
        <Box>
          <Heading size="medium" as="h1">
            {title}
          </Heading>
          {actions}
        </Box>
        {children}
      </Stack>
    </Box>
  );
}
