package dev.ssebroadcast.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The {@code secure} profile's rules, with users from {@code spring-security-test}.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("secure")
class SecureSampleMockMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Test
	void loginsKeepTheirCheapPasswordCheck() throws Exception {
		this.mvc.perform(get("/actuator/sse").with(httpBasic("admin", "admin"))).andExpect(status().isOk());
		// A store that takes re-encoded passwords would hold a BCrypt hash by now, checked
		// on every request of HTTP Basic.
		assertThat(this.context.getBeanProvider(UserDetailsPasswordService.class).getIfAvailable()).isNull();
		assertThat(this.context.getBean(UserDetailsService.class).loadUserByUsername("admin").getPassword())
			.isEqualTo("{noop}admin");
	}

	@Test
	void anonymousStreamIsUnauthorized() throws Exception {
		this.mvc.perform(get("/sse")).andExpect(status().isUnauthorized());
	}

	@Test
	@WithMockUser(username = "carol", roles = "USER")
	void userCannotSubscribeToTheAdminTopic() throws Exception {
		this.mvc.perform(get("/sse").param("topic", "admin"))
			.andExpect(status().isForbidden())
			.andExpect(content().string("Subscription refused"));
	}

	@Test
	@WithMockUser(username = "carol", roles = "USER")
	void userCannotNotify() throws Exception {
		this.mvc.perform(post("/notify/bob").contentType(MediaType.TEXT_PLAIN).content("hi"))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "carol", roles = "USER")
	void userCannotBroadcast() throws Exception {
		this.mvc.perform(post("/broadcast").contentType(MediaType.TEXT_PLAIN).content("hi"))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "publishing-job", roles = "PUBLISHER")
	void publisherCanBroadcastToTheAdminTopic() throws Exception {
		this.mvc.perform(post("/broadcast").param("topic", "admin").contentType(MediaType.TEXT_PLAIN).content("hi"))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"clients\":0}"));
	}

	@Test
	@WithMockUser(username = "root", roles = { "USER", "ADMIN" })
	void adminCanNotifyAUserWithNoOpenTab() throws Exception {
		this.mvc.perform(post("/notify/nobody").contentType(MediaType.TEXT_PLAIN).content("hi"))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"clients\":0}"));
	}

}
